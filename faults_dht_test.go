package actorrent

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/supervisor"
)

// A DHT node that fails (in Receive on a torrent's registration, in its
// bootstrap goroutine) is restarted on a new socket with its schedule, and
// a lookup that fails is stopped and scheduled again: each time the
// session goes on and the trackerless magnet still downloads from the
// peers the DHT finds.
func TestFaultDHTRestartsAndTorrentsStillGetPeers(t *testing.T) {
	for i, tc := range []struct {
		name string
		rule supervisor.Rule
	}{
		{"receive", supervisor.Rule{Kind: supervisor.KindDHT, Message: "DHTTorrentWanted", Nth: 1}},
		{"bootstrap", supervisor.Rule{Kind: supervisor.KindDHT, Site: supervisor.SiteBootstrap, Nth: 1}},
		{"lookup", supervisor.Rule{Kind: supervisor.KindDHTLookup, Site: supervisor.SiteTraversal, Nth: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
			defer cancel()
			base := 50 + 5*i
			ss, addrs := dhtSwarm(ctx, t, base, 2)
			tc.rule.Action = supervisor.ActionPanic
			leecher := newTestSessionWith(t, dhtNodeSettings(fmt.Sprintf("127.0.%d.1", base+2), addrs[0]),
				WithFaults(supervisor.Plan{Seed: 1, Rules: []supervisor.Rule{tc.rule}}), withDHTResendDelay(300*time.Millisecond))
			ti, src, _ := trackerFixture(t)
			sh, err := ss[1].AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
			if err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, sh, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
			dst := t.TempDir()
			h, err := leecher.AddTorrent(ctx, AddTorrentParams{URL: "magnet:?xt=urn:btih:" + ti.InfoHash().String(), SavePath: dst})
			if err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
			checkSameTree(t, filepath.Join(src, "t"), filepath.Join(dst, "t"))
			st, err := leecher.SupervisionStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			k := st.Kinds[tc.rule.Kind]
			want := k.Restarts
			if tc.rule.Kind == supervisor.KindDHTLookup {
				want = k.Stops
			}
			if k.Injected != 1 || want != 1 {
				t.Errorf("%s: %+v", tc.rule.Kind, k)
			}
			if on, err := leecher.IsDHTRunning(ctx); err != nil || !on {
				t.Errorf("DHT running %v, %v", on, err)
			}
		})
	}
}
