package supervisor

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// alertSink collects what supervision posts.
type alertSink struct {
	mu     sync.Mutex
	alerts []messages.Alert
}

func (s *alertSink) Receive(c actor.Context) {
	if m, ok := c.Message().(*messages.PostAlert); ok {
		s.mu.Lock()
		s.alerts = append(s.alerts, m.Alert)
		s.mu.Unlock()
	}
}

func (s *alertSink) all() []messages.Alert {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]messages.Alert(nil), s.alerts...)
}

// worker is a child that records the messages it handled, runs goroutines
// on request (which may panic), and resets on ResetConnection.
type worker struct {
	seen *events
	sup  *Supervision
}

type goPanic struct{}

func (w *worker) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		w.seen.add("started")
	case string:
		w.seen.add(m)
	case *goPanic:
		root, self := c.ActorSystem().Root, c.Self()
		go func() {
			defer Recover(root, self, SiteReader)
			panic("reader broke")
		}()
	case *messages.GoroutineFailed:
		panic(m)
	case *messages.ResetConnection:
		w.seen.add("reset")
	case *messages.MessageFailed:
		w.seen.add(m)
	}
}

// harness is a parent (supervising its child as kind) with a child of
// that kind, under a plan, with alerts collected.
type harness struct {
	sys   *actor.ActorSystem
	sup   *Supervision
	sink  *alertSink
	seen  *events
	child *actor.PID
}

func newHarness(t *testing.T, kind Kind, plan *Plan) *harness {
	t.Helper()
	sup, err := New(plan)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{sys: actors.NewSystem(nil), sup: sup, sink: &alertSink{}, seen: &events{}}
	sinkPID := h.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return h.sink }))
	sup.BindAlerts(h.sys.Root, sinkPID)
	kid := make(chan *actor.PID, 1)
	childProps := sup.Configure(kind, actor.PropsFromProducer(func() actor.Actor { return &worker{seen: h.seen, sup: sup} }))
	par := h.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return &parent{log: h.seen, kid: kid, props: childProps}
	}, actor.WithSupervisor(sup.Strategy(kind))))
	h.child = <-kid
	t.Cleanup(func() {
		_ = h.sys.Root.StopFuture(par).Wait()
		_ = h.sys.Root.StopFuture(sinkPID).Wait()
		h.sys.Shutdown()
	})
	return h
}

func (h *harness) waitAlert(t *testing.T, ok func(messages.Alert) bool) messages.Alert {
	t.Helper()
	var found messages.Alert
	h.seen.waitFor(t, func() bool {
		for _, a := range h.sink.all() {
			if ok(a) {
				found = a
				return true
			}
		}
		return false
	})
	return found
}

func isActorFailed(a messages.Alert) bool { _, ok := a.(*messages.ActorFailedAlert); return ok }

// A panic rule fails the Nth message in Receive: the supervisor applies the
// kind's directive, and the fault, the decision and the counters are all
// visible.
func TestInjectedPanicIsReportedAndCounted(t *testing.T) {
	plan := &Plan{Rules: []Rule{{Kind: KindPeer, Message: "string", Nth: 2, Action: ActionPanic}}}
	h := newHarness(t, KindPeer, plan)
	for _, m := range []string{"a", "b", "c"} {
		h.sys.Root.Send(h.child, m)
	}
	al := h.waitAlert(t, isActorFailed).(*messages.ActorFailedAlert)
	if al.Kind != "peer" || al.Directive != "stop" || !al.Injected || al.Failures != 1 || al.MessageName != "string" {
		t.Fatalf("actor_failed = %+v", al)
	}
	h.seen.wait(t, func(v any) bool { return v == "terminated" })
	if h.seen.count("a") != 1 || h.seen.count("b") != 0 || h.seen.count("c") != 0 {
		t.Fatalf("a stopped peer handled %v", h.seen.all)
	}
	fi := h.waitAlert(t, func(a messages.Alert) bool { _, ok := a.(*messages.FaultInjectedAlert); return ok }).(*messages.FaultInjectedAlert)
	if fi.Action != "panic" || fi.Site != "receive" || fi.MessageName != "string" || fi.Rule != 0 {
		t.Fatalf("fault_injected = %+v", fi)
	}
	st := h.sup.Status().Kinds[KindPeer]
	if st.Injected != 1 || st.ByAction["panic"] != 1 || st.Failures != 1 || st.Stops != 1 {
		t.Fatalf("peer counters %+v", st)
	}
}

// A resumed actor keeps its state and gets the message it failed on back.
func TestResumedActorGetsItsMessageBack(t *testing.T) {
	plan := &Plan{Rules: []Rule{{Kind: KindTorrent, Message: "string", Nth: 1, Action: ActionPanic}}}
	h := newHarness(t, KindTorrent, plan)
	h.sys.Root.Send(h.child, "lost")
	h.sys.Root.Send(h.child, "kept")
	mf := h.seen.wait(t, func(v any) bool { _, ok := v.(*messages.MessageFailed); return ok }).(*messages.MessageFailed)
	if mf.Message != "lost" || mf.Reason == "" {
		t.Fatalf("MessageFailed = %+v", mf)
	}
	h.seen.wait(t, func(v any) bool { return v == "kept" })
	if n := h.seen.count("started"); n != 1 {
		t.Fatalf("a resumed actor started %d times", n)
	}
	if st := h.sup.Status().Kinds[KindTorrent]; st.Resumes != 1 {
		t.Fatalf("torrent counters %+v", st)
	}
}

// Drop loses the message; reset delivers it, then ResetConnection.
func TestDropAndReset(t *testing.T) {
	plan := &Plan{Rules: []Rule{
		{Kind: KindPeer, Message: "string", Nth: 1, Action: ActionDrop},
		{Kind: KindPeer, Message: "string", Nth: 1, Action: ActionResetConnection},
	}}
	h := newHarness(t, KindPeer, plan)
	h.sys.Root.Send(h.child, "dropped")
	h.sys.Root.Send(h.child, "then reset")
	h.seen.wait(t, func(v any) bool { return v == "reset" })
	if h.seen.count("dropped") != 0 || h.seen.count("then reset") != 1 {
		t.Fatalf("handled %v", h.seen.all)
	}
	if st := h.sup.Status().Kinds[KindPeer]; st.ByAction["drop"] != 1 || st.ByAction["reset_connection"] != 1 || st.Failures != 0 {
		t.Fatalf("peer counters %+v", st)
	}
}

// A goroutine's panic reaches the actor as GoroutineFailed and, through
// it, the supervisor: the process goes on.
func TestGoroutinePanicFailsItsActor(t *testing.T) {
	h := newHarness(t, KindDiskWorker, nil)
	h.sys.Root.Send(h.child, &goPanic{})
	al := h.waitAlert(t, isActorFailed).(*messages.ActorFailedAlert)
	if al.Directive != "restart" || al.Restarts != 1 || al.Injected {
		t.Fatalf("actor_failed = %+v", al)
	}
	h.seen.waitFor(t, func() bool { return h.seen.count("started") == 2 })
	if want := (&messages.GoroutineFailed{Site: "reader", Reason: "reader broke"}).Error(); al.Reason != want {
		t.Fatalf("reason %q, want %q", al.Reason, want)
	}
}

// Delays and backoffs run in virtual time: a restart waits the kind's
// backoff, doubling with each failure.
func TestRestartBackoffInVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plan := &Plan{Rules: []Rule{{Kind: KindAnnouncer, Message: "string", Action: ActionPanic, Limit: 2}}}
		h := newHarness(t, KindAnnouncer, plan)
		start := time.Now()
		h.sys.Root.Send(h.child, "first")
		synctest.Wait()
		if h.seen.count("started") != 1 {
			t.Fatal("restarted before its backoff")
		}
		time.Sleep(policies[KindAnnouncer].backoff.Initial + time.Second) // the backoff's noise-free wait, and margin
		synctest.Wait()
		if h.seen.count("started") != 2 {
			t.Fatalf("not restarted %v after the failure", time.Since(start))
		}
		h.sys.Root.Send(h.child, "second")
		synctest.Wait()
		time.Sleep(policies[KindAnnouncer].backoff.Initial + 100*time.Millisecond)
		synctest.Wait()
		if h.seen.count("started") != 2 {
			t.Fatal("the second restart did not wait twice as long")
		}
		time.Sleep(policies[KindAnnouncer].backoff.Initial)
		synctest.Wait()
		if h.seen.count("started") != 3 {
			t.Fatal("not restarted after twice the backoff")
		}
		h.sys.Root.Send(h.child, "third") // Limit 2: no more faults
		synctest.Wait()
		if h.seen.count("third") != 1 {
			t.Fatalf("after the limit: %v", h.seen.all)
		}
	})
}

// A delay holds the message for its duration (virtual time here), then
// delivers it; nothing fails.
func TestDelayHoldsTheMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plan := &Plan{Rules: []Rule{{Kind: KindDisk, Message: "string", Nth: 1, Action: ActionDelay, Delay: 3 * time.Second}}}
		h := newHarness(t, KindDisk, plan)
		h.sys.Root.Send(h.child, "slow")
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if h.seen.count("slow") != 0 {
			t.Fatal("delivered before its delay")
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if h.seen.count("slow") != 1 {
			t.Fatal("not delivered after its delay")
		}
		if st := h.sup.Status().Kinds[KindDisk]; st.ByAction["delay"] != 1 || st.Failures != 0 {
			t.Fatalf("disk counters %+v", st)
		}
	})
}
