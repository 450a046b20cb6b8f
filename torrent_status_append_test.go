package actorrent

import (
	"context"
	"testing"
	"time"
)

// AppendTorrentStatus appends after what dst holds, writes into dst's
// spare capacity when it suffices (a refresh allocates no statuses), and
// a reused slot shows nothing of the status it held before (the costly
// fields of a call with flags are gone from a call without).
func TestAppendTorrentStatusReusesCapacity(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := newTestSession(t)
	const n = 6
	for i := range n {
		ti, src := smallTorrent(t, i)
		if _, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Flags: FlagPaused}); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.AppendTorrentStatus(ctx, nil, nil, QueryName|QueryTorrentFile|QueryPieces)
	if err != nil || len(first) != n {
		t.Fatalf("first call: %d statuses, %v", len(first), err)
	}
	for _, st := range first {
		if st.Name == "" || st.TorrentFile == nil || st.Pieces.Len() == 0 {
			t.Fatalf("asked fields missing: %q %v %d", st.Name, st.TorrentFile != nil, st.Pieces.Len())
		}
	}
	again, err := s.AppendTorrentStatus(ctx, first[:0], nil, 0)
	if err != nil || len(again) != n {
		t.Fatalf("refresh: %d statuses, %v", len(again), err)
	}
	if &again[0] != &first[0] {
		t.Fatal("a refresh into enough capacity allocated a new array")
	}
	for i, st := range again {
		if st.Name != "" || st.TorrentFile != nil || st.Pieces.Len() != 0 {
			t.Fatalf("slot %d kept the last call's costly fields: %q %v %d", i, st.Name, st.TorrentFile != nil, st.Pieces.Len())
		}
		if st.Handle.InfoHash() != st.InfoHash || st.InfoHash == (InfoHash{}) {
			t.Fatalf("slot %d: handle %v for %v", i, st.Handle.InfoHash(), st.InfoHash)
		}
	}
	// Appending keeps what dst holds, in front.
	head := again[:2:2]
	both, err := s.AppendTorrentStatus(ctx, head, func(st TorrentStatus) bool { return st.InfoHash == again[3].InfoHash }, 0)
	if err != nil || len(both) != 3 {
		t.Fatalf("append after 2: %d statuses, %v", len(both), err)
	}
	if both[0].InfoHash != again[0].InfoHash || both[1].InfoHash != again[1].InfoHash || both[2].InfoHash != again[3].InfoHash {
		t.Fatal("the statuses dst held were not kept in front, or the predicate's pick is not last")
	}
	// A call that cannot be made leaves dst as it was.
	dead, cancelDead := context.WithCancel(ctx)
	cancelDead()
	kept, err := s.AppendTorrentStatus(dead, again[:1], nil, 0)
	if err == nil || len(kept) != 1 || kept[0].InfoHash != again[0].InfoHash {
		t.Fatalf("with an ended context: %d statuses, %v", len(kept), err)
	}
}
