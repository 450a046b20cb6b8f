package actorrent

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actorrent/actorrent/supervisor"
)

// The session actor fails on a request: the caller gets ErrActorFailed,
// the session is resumed with its registry (every handle stays valid) and
// both torrents download. The session owns no goroutine of its own (its
// sockets are its listeners', see the listener tests).
func TestFaultSessionPanicKeepsHandles(t *testing.T) {
	r := newFaultRig(t, supervisor.Plan{Rules: []supervisor.Rule{
		{Kind: supervisor.KindSession, Message: "GetSessionStatus", Nth: 1, Action: supervisor.ActionPanic},
	}})
	ha := r.add(r.a)
	if _, err := r.leecher.Status(r.ctx); !errors.Is(err, ErrActorFailed) {
		t.Fatalf("status from a failing session: %v, want ErrActorFailed", err)
	}
	al := r.actorFailed(supervisor.KindSession)
	if al.Directive != "resume" || !al.Injected || al.MessageName != "GetSessionStatus" {
		t.Fatalf("actor_failed = %+v", al)
	}
	if !ha.IsValid(r.ctx) {
		t.Fatal("a handle is invalid after the session failed")
	}
	if _, err := r.leecher.Status(r.ctx); err != nil {
		t.Fatalf("the resumed session: %v", err)
	}
	hb := r.add(r.b)
	r.connect(ha)
	r.connect(hb)
	r.finish(ha, r.a)
	r.finish(hb, r.b)
	st, _ := r.leecher.SupervisionStatus(r.ctx)
	if k := st.Kinds[supervisor.KindSession]; k.Injected != 1 || k.Failures != 1 || k.Resumes != 1 {
		t.Fatalf("session counters %+v", k)
	}
}

// The alert actor fails on posts: it is resumed with its queue and posts
// the alert it failed on again, so no alert is lost.
func TestFaultAlertPanicLosesNoAlert(t *testing.T) {
	r := newFaultRig(t, supervisor.Plan{Rules: []supervisor.Rule{
		{Kind: supervisor.KindAlert, Message: "PostAlert", Every: 3, Limit: 10, Action: supervisor.ActionPanic},
	}})
	ha, hb := r.add(r.a), r.add(r.b)
	r.connect(ha)
	r.connect(hb)
	r.finish(ha, r.a)
	r.finish(hb, r.b)
	for _, h := range []TorrentHandle{ha, hb} {
		r.alerts.wait(r.ctx, t, "torrent_finished", func(a Alert) bool {
			f, ok := a.(TorrentFinishedAlert)
			return ok && f.Handle.InfoHash() == h.InfoHash()
		})
	}
	// Every piece got its piece_finished alert, none lost to the faults.
	pieces := r.alerts.count(func(a Alert) bool { _, ok := a.(PieceFinishedAlert); return ok })
	if want := r.a.NumPieces() + r.b.NumPieces(); pieces != want {
		t.Fatalf("%d piece_finished alerts, want %d", pieces, want)
	}
	st, _ := r.leecher.SupervisionStatus(r.ctx)
	if k := st.Kinds[supervisor.KindAlert]; k.Injected != 10 || k.Resumes != 10 {
		t.Fatalf("alert counters %+v", k)
	}
	if n := r.alerts.count(func(a Alert) bool { f, ok := a.(ActorFailedAlert); return ok && f.Kind == "alert" }); n != 10 {
		t.Fatalf("%d actor_failed alerts for the alert actor, want 10", n)
	}
}

// A panic where alerts are handed to the user (the dispatch goroutine):
// injected ones come before the hand-over, so the alert is still
// delivered; the user's own function panicking is recovered too, and
// delivery goes on.
func TestFaultAlertDispatchPanic(t *testing.T) {
	r := newFaultRig(t, supervisor.Plan{Rules: []supervisor.Rule{
		{Kind: supervisor.KindAlert, Site: supervisor.SiteDispatch, Message: "torrent_added", Nth: 1, Action: supervisor.ActionPanic},
	}})
	sub, err := r.leecher.Subscribe(r.ctx, CategoryAll)
	if err != nil {
		t.Fatal(err)
	}
	panicky := &alertLog{wake: make(chan struct{}, 1)}
	first := true
	if err := r.leecher.SetAlertDispatch(r.ctx, func(a Alert) {
		if first {
			first = false
			panic("the user's handler broke")
		}
		panicky.add(a)
	}); err != nil {
		t.Fatal(err)
	}
	ha := r.add(r.a)
	r.connect(ha)
	r.finish(ha, r.a)
	panicky.wait(r.ctx, t, "torrent_finished after the handler's panic", func(a Alert) bool { _, ok := a.(TorrentFinishedAlert); return ok })
	// The subscriber's torrent_added went through the injected panic.
	for a := range sub {
		if _, ok := a.(TorrentAddedAlert); ok {
			break
		}
	}
	injected := r.alerts.wait(r.ctx, t, "dispatch fault", func(a Alert) bool {
		f, ok := a.(ActorFailedAlert)
		return ok && f.Kind == "alert" && f.Actor == "dispatch" && f.Injected
	})
	user := r.alerts.wait(r.ctx, t, "the user's panic", func(a Alert) bool {
		f, ok := a.(ActorFailedAlert)
		return ok && f.Kind == "alert" && !f.Injected
	}).(ActorFailedAlert)
	if user.Reason != "the user's handler broke" || user.Directive != "resume" {
		t.Fatalf("user panic reported as %+v (injected one: %+v)", user, injected)
	}
}

// NewSession's first request (its listen addresses) failing on an injected
// fault still gives a working session.
func TestFaultSessionFailsOnItsFirstRequest(t *testing.T) {
	s, _ := faultSession(t, supervisor.Plan{Rules: []supervisor.Rule{
		{Kind: supervisor.KindSession, Message: "ListenAddrs", Nth: 1, Action: supervisor.ActionPanic},
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	addrs, err := s.ListenAddrs(ctx)
	if err != nil || len(addrs) != 1 {
		t.Fatalf("listen addresses %v, %v", addrs, err)
	}
	// Posted before anyone subscribed: it waits in the queue.
	alerts, err := s.PopAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if f, ok := a.(ActorFailedAlert); ok && f.Kind == "session" && f.MessageName == "ListenAddrs" {
			return
		}
	}
	t.Fatalf("no actor_failed for the session in %v", alerts)
}
