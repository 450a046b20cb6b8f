package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestSuggestReadCache: a seed with suggest_mode suggest_read_cache
// suggests the pieces it reads for one leecher to another that lacks them
// (both speak the fast extension); with the default mode it suggests none.
func TestSuggestReadCache(t *testing.T) {
	for _, mode := range []int{0, 1} {
		t.Run([]string{"no_piece_suggestions", "suggest_read_cache"}[mode], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			src := t.TempDir()
			const size = 4 << 20
			writePayload(t, src, map[string]int64{"f.bin": size}, 5)
			ti, err := CreateTorrent(filepath.Join(src, "f.bin"), CreateTorrentOptions{PieceSize: 64 << 10})
			if err != nil {
				t.Fatal(err)
			}
			set := testSettings()
			set.SetInt(SuggestMode, mode)
			// Slow enough that both leechers are connected while pieces
			// are read.
			seeder, _, addr := globalSeed(ctx, t, set, ti, src, 4<<20)
			var leechers []*Session
			var hs []TorrentHandle
			for range 2 {
				s, h, _ := downloadingSession(ctx, t, ti, t.TempDir())
				leechers, hs = append(leechers, s), append(hs, h)
			}
			for _, h := range hs {
				if err := h.ConnectPeer(ctx, addr); err != nil {
					t.Fatal(err)
				}
			}
			for _, h := range hs {
				waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
			}
			v, err := seeder.SessionStats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sent := v[FindMetricIdx("ses.num_outgoing_suggest")]
			var got int64
			for _, l := range leechers {
				lv, err := l.SessionStats(ctx)
				if err != nil {
					t.Fatal(err)
				}
				got += lv[FindMetricIdx("ses.num_incoming_suggest")]
			}
			t.Logf("suggest_mode %d: %d suggests sent, %d received", mode, sent, got)
			// A suggest may still be on its way when a finished leecher
			// hangs up on the seed; none is made up.
			if got > sent {
				t.Errorf("leechers received %d suggests, the seed sent %d", got, sent)
			}
			if (got > 0) != (mode == 1) {
				t.Errorf("suggest_mode %d: %d suggests received", mode, got)
			}
		})
	}
}
