package actorrent

import (
	"testing"

	"github.com/actorrent/actorrent/supervisor"
)

// A listener that fails (in Receive, on a connection it accepted, or in
// its accept loop or a handshake goroutine) is restarted and listens again
// on the same address (listen_succeeded again): the seeder, dialing in,
// gets through on its next attempt and the download finishes.
func TestFaultListenerListensAgain(t *testing.T) {
	eachFault(t, supervisor.KindListener, supervisor.ActionPanic, []faultCase{
		{"receive", supervisor.Rule{Message: "accepted", Nth: 1}},
		{"accept", supervisor.Rule{Site: supervisor.SiteAccept, Nth: 1}},
		{"handshake", supervisor.Rule{Site: supervisor.SiteHandshake, Nth: 1}},
	}, func(t *testing.T, r *faultRig) {
		addrs, err := r.leecher.ListenAddrs(r.ctx)
		if err != nil {
			t.Fatal(err)
		}
		ha := r.add(r.a)
		seeding, ok, err := r.seeder.FindTorrent(r.ctx, r.a.InfoHash())
		if err != nil || !ok {
			t.Fatalf("seeder's torrent: %v %v", ok, err)
		}
		if err := seeding.ConnectPeer(r.ctx, addrs[0]); err != nil {
			t.Fatal(err)
		}
		if al := r.actorFailed(supervisor.KindListener); al.Directive != "restart" || !al.Injected {
			t.Fatalf("actor_failed = %+v", al)
		}
		r.alerts.wait(r.ctx, t, "listening again", func(a Alert) bool {
			l, ok := a.(ListenSucceededAlert)
			return ok && l.Endpoint == addrs[0]
		})
		r.finish(ha, r.a)
		if now, _ := r.leecher.ListenAddrs(r.ctx); len(now) != 1 || now[0] != addrs[0] {
			t.Fatalf("listen addresses %v, were %v", now, addrs)
		}
	})
}
