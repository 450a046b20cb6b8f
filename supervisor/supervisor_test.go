package supervisor

import (
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// child counts its incarnations and the messages it handled; it panics
// on "boom".
type child struct {
	log *events
	n   int // messages handled by this incarnation
}

func (c *child) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		c.log.add("started")
	case string:
		if m == "boom" {
			panic("injected")
		}
		c.n++
		ctx.Respond(c.n)
	}
}

// events is what the parent and the child saw, in order.
type events struct {
	mu  sync.Mutex
	all []any
}

func (e *events) add(v any) {
	e.mu.Lock()
	e.all = append(e.all, v)
	e.mu.Unlock()
}

func (e *events) wait(t *testing.T, ok func(any) bool) any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		e.mu.Lock()
		for _, v := range e.all {
			if ok(v) {
				e.mu.Unlock()
				return v
			}
		}
		e.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(time.Millisecond)
	}
}

// waitFor polls cond (an event others deliver) for up to 10 s.
func (e *events) waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(time.Millisecond)
	}
}

func (e *events) count(v any) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, x := range e.all {
		if x == v {
			n++
		}
	}
	return n
}

// parent spawns one child under strategy and records ChildFailed and
// Terminated.
type parent struct {
	log   *events
	kid   chan *actor.PID
	props *actor.Props
}

func (p *parent) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		p.kid <- ctx.Spawn(p.props)
	case *messages.ChildFailed:
		p.log.add(m)
	case *actor.Terminated:
		p.log.add("terminated")
	}
}

func run(t *testing.T, strategy actor.SupervisorStrategy) (*actor.ActorSystem, *actor.PID, *events) {
	sys := actors.NewSystem(nil)
	log := &events{}
	kid := make(chan *actor.PID, 1)
	childProps := actor.PropsFromProducer(func() actor.Actor { return &child{log: log} })
	par := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return &parent{log: log, kid: kid, props: childProps}
	}, actor.WithSupervisor(strategy)))
	t.Cleanup(func() {
		_ = sys.Root.StopFuture(par).Wait()
		sys.Shutdown()
	})
	c := <-kid
	sys.Root.Send(c, "boom")
	f := log.wait(t, func(v any) bool { _, ok := v.(*messages.ChildFailed); return ok }).(*messages.ChildFailed)
	if !f.Child.Equal(c) || f.Reason != "injected" || f.Message != "boom" {
		t.Fatalf("ChildFailed = %+v", f)
	}
	return sys, c, log
}

// noSup is a session without supervision settings: default strategies.
var noSup *Supervision

func ask(sys *actor.ActorSystem, pid *actor.PID) (any, error) {
	return sys.Root.RequestFuture(pid, "hi", 5*time.Second).Result()
}

func TestPeerStrategyStops(t *testing.T) {
	_, _, log := run(t, noSup.Strategy(KindPeer))
	log.wait(t, func(v any) bool { return v == "terminated" })
	if n := log.count("started"); n != 1 {
		t.Fatalf("started %d times: a failed peer must not be restarted", n)
	}
}

func TestWorkerStrategyRestarts(t *testing.T) {
	sys, c, log := run(t, noSup.Strategy(KindDiskWorker))
	v, err := ask(sys, c)
	if err != nil || v != 1 {
		t.Fatalf("restarted worker answered %v, %v; want a fresh instance (1)", v, err)
	}
	if n := log.count("started"); n != 2 {
		t.Fatalf("started %d times, want 2", n)
	}
}

func TestTorrentStrategyResumes(t *testing.T) {
	sys, c, log := run(t, noSup.Strategy(KindTorrent))
	if v, err := ask(sys, c); err != nil || v != 1 {
		t.Fatalf("resumed child answered %v, %v", v, err)
	}
	if v, err := ask(sys, c); err != nil || v != 2 {
		t.Fatalf("resumed child lost its state: %v, %v", v, err)
	}
	if n := log.count("started"); n != 1 || log.count("terminated") != 0 {
		t.Fatalf("a resumed child is neither restarted nor stopped: %v", log.all)
	}
}
