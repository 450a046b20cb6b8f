package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/supervisor"
)

// The uTP listener fails like the TCP one (in Receive, its accept loop or
// a handshake goroutine) and is restarted on a new view of the same uTP
// socket: the seeder, dialing in over uTP alone, gets through on its next
// attempt and the download finishes. The socket's address is unchanged.
func TestFaultUTPListenerAcceptsAgain(t *testing.T) {
	for _, c := range []struct {
		name string
		rule supervisor.Rule
	}{
		{"receive", supervisor.Rule{Message: "accepted", Nth: 1}},
		{"accept", supervisor.Rule{Site: supervisor.SiteAccept, Nth: 1}},
		{"handshake", supervisor.Rule{Site: supervisor.SiteHandshake, Nth: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			sp := utpOnly()
			sp.SetInt(MinReconnectTime, 1) // the seeder dials the leecher again a second later
			ti, src, seeder := utpSeed(ctx, t, sp)
			c.rule.Kind, c.rule.Action = supervisor.KindListener, supervisor.ActionPanic
			leecher, log := faultSessionWith(t, supervisor.Plan{Rules: []supervisor.Rule{c.rule}}, utpOnly())
			addrs, err := leecher.ListenAddrs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			dst := t.TempDir()
			lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
			if err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, lh, "checked", func(s TorrentStatus) bool { return s.State == Downloading })
			seeding, ok, err := seeder.FindTorrent(ctx, ti.InfoHash())
			if err != nil || !ok {
				t.Fatalf("seeder's torrent: %v %v", ok, err)
			}
			if err := seeding.ConnectPeer(ctx, addrs[0]); err != nil {
				t.Fatal(err)
			}
			al := log.wait(ctx, t, "actor_failed of the listener", func(a Alert) bool {
				f, ok := a.(ActorFailedAlert)
				return ok && f.Kind == string(supervisor.KindListener)
			}).(ActorFailedAlert)
			if al.Directive != "restart" || !al.Injected {
				t.Fatalf("actor_failed = %+v", al)
			}
			waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
			if err := sameTree(filepath.Join(src, "u"), filepath.Join(dst, "u")); err != nil {
				t.Fatal(err)
			}
			if n := log.count(func(a Alert) bool { ic, ok := a.(IncomingConnectionAlert); return ok && ic.SocketType == 4 }); n == 0 {
				t.Error("no incoming uTP connection after the restart")
			}
		})
	}
}
