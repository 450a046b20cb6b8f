package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A torrent removed and at once added again (a seedbox's "re-add") ends
// up checked and seeding, not stuck in checking: the add waits for the
// removal, whose files were still being checked, to end.
func TestRemoveThenAddAgainWhileChecking(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"r/a.bin": 24 << 20}, 5)
	ti, err := CreateTorrent(filepath.Join(src, "r"), CreateTorrentOptions{PieceSize: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSession(t)
	for round := range 3 {
		h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
		if err != nil {
			t.Fatal(err)
		}
		if round == 2 {
			st := waitFor(ctx, t, h, "seeding after the re-adds", func(st TorrentStatus) bool { return st.IsSeeding })
			if st.Error != "" {
				t.Fatal(st.Error)
			}
			return
		}
		// Its check is under way (24 MiB): remove it behind it.
		if err := s.RemoveTorrent(ctx, h, 0); err != nil {
			t.Fatal(err)
		}
	}
}
