package metadata

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestFetcherSwarms(t *testing.T) {
	info, ih := testInfo(t, 3*PieceSize+1234) // four pieces, the last short
	wrongSize := bytes.Repeat([]byte("x"), 1000)
	tests := []struct {
		name      string
		peers     []*simPeer
		wantDrop  []PeerKey
		wantAsked []PeerKey // peers that must have been asked something
		minTime   time.Duration
	}{
		{name: "one honest", peers: []*simPeer{{key: 1}}, wantAsked: []PeerKey{1}},
		{name: "two honest in parallel", peers: []*simPeer{{key: 1}, {key: 2}}, wantAsked: []PeerKey{1, 2}},
		{name: "liar first", peers: []*simPeer{{key: 1, how: liar, liePiece: 0}, {key: 2}}, wantDrop: []PeerKey{1}},
		{name: "liar second", peers: []*simPeer{{key: 1}, {key: 2, how: liar, liePiece: 2}}, wantDrop: []PeerKey{2}},
		{name: "liar among three", peers: []*simPeer{{key: 1}, {key: 2, how: liar, liePiece: 3}, {key: 3}}, wantDrop: []PeerKey{2}},
		{name: "two liars", peers: []*simPeer{{key: 1, how: liar, liePiece: 1}, {key: 2, how: liar, liePiece: 3}, {key: 3}}, wantDrop: []PeerKey{1, 2}},
		{name: "rejecter", peers: []*simPeer{{key: 1, how: rejects}, {key: 2}}, wantAsked: []PeerKey{1, 2}},
		{name: "silent peer times out", peers: []*simPeer{{key: 1, how: silent}, {key: 2}}, wantAsked: []PeerKey{1, 2}},
		{name: "only peer is slow", peers: []*simPeer{{key: 1, how: slow}}, minTime: DefaultRequestTimeout},
		{name: "wrong size first", peers: []*simPeer{{key: 1, size: 1000, info: wrongSize}, {key: 2}}, wantDrop: []PeerKey{1}},
		{name: "rejecting wrong size group", peers: []*simPeer{{key: 1, size: 1000, how: rejects}, {key: 2}}, wantAsked: []PeerKey{1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSwarm(t, info, ih, FetcherConfig{}, tc.peers...)
			start := s.now
			if !s.run(1000) {
				t.Fatalf("not done; progress %v", fmtProgress(s.f))
			}
			if !bytes.Equal(s.f.Info(), info) {
				t.Fatal("Info differs from the true metadata")
			}
			slices.Sort(s.dropped)
			if !slices.Equal(s.dropped, tc.wantDrop) {
				t.Fatalf("dropped %v, want %v", s.dropped, tc.wantDrop)
			}
			for _, k := range tc.wantAsked {
				if len(s.asked[k]) == 0 {
					t.Errorf("peer %d never asked", k)
				}
			}
			if el := s.now.Sub(start); el < tc.minTime {
				t.Errorf("finished after %v, want at least %v", el, tc.minTime)
			}
			if reqs, wake := s.f.Next(s.now); reqs != nil || !wake.IsZero() {
				t.Errorf("Next after done = %v, %v", reqs, wake)
			}
		})
	}
}

func fmtProgress(f *Fetcher) [2]int {
	h, n := f.Progress()
	return [2]int{h, n}
}

func TestFetcherOnlyLiarsNeverFinish(t *testing.T) {
	info, ih := testInfo(t, 2*PieceSize)
	s := newSwarm(t, info, ih, FetcherConfig{},
		&simPeer{key: 1, how: liar}, &simPeer{key: 2, how: liar, liePiece: 1})
	if s.run(1000) {
		t.Fatal("done with only liars")
	}
	slices.Sort(s.dropped)
	if !slices.Equal(s.dropped, []PeerKey{1, 2}) {
		t.Fatalf("dropped %v", s.dropped)
	}
	if err := s.f.AddPeer(1, int64(len(info))); !errors.Is(err, ErrBanned) {
		t.Fatalf("re-adding a convicted peer: %v", err)
	}
	// A newcomer with the truth finishes it.
	s.add(&simPeer{key: 3})
	if !s.run(1000) || !bytes.Equal(s.f.Info(), info) {
		t.Fatal("honest newcomer did not finish the fetch")
	}
}

func TestFetcherSinglePieceLiar(t *testing.T) {
	info, ih := testInfo(t, 500)
	s := newSwarm(t, info, ih, FetcherConfig{}, &simPeer{key: 7, how: liar}, &simPeer{key: 8})
	if !s.run(100) {
		t.Fatal("not done")
	}
	if !slices.Equal(s.dropped, []PeerKey{7}) {
		t.Fatalf("dropped %v", s.dropped)
	}
}

func TestFetcherAddPeerSizes(t *testing.T) {
	_, ih := testInfo(t, 100)
	f := NewFetcher(ih, FetcherConfig{MaxMetadataSize: 1 << 20})
	for _, tc := range []struct {
		size int64
		want error
	}{{0, ErrNoMetadata}, {-1, ErrBadSize}, {1<<20 + 1, ErrBadSize}, {1 << 40, ErrBadSize}} {
		if err := f.AddPeer(1, tc.size); !errors.Is(err, tc.want) {
			t.Errorf("AddPeer(size %d) = %v, want %v", tc.size, err, tc.want)
		}
	}
	if err := f.AddPeer(1, 100); err != nil {
		t.Fatal(err)
	}
	if err := f.AddPeer(1, 100); err != nil {
		t.Fatalf("same size again: %v", err)
	}
	if err := f.AddPeer(1, 200); !errors.Is(err, ErrInconsistentSize) {
		t.Fatalf("changed size: %v", err)
	}
	if reqs, _ := f.Next(time.Unix(0, 0)); len(reqs) != 0 {
		t.Fatalf("peer with a changed size still asked: %v", reqs)
	}
}

// TestFetcherProtocolViolations: data nobody asked for is ignored; data
// contradicting the size is a conviction.
func TestFetcherProtocolViolations(t *testing.T) {
	info, ih := testInfo(t, 2*PieceSize+10)
	size := int64(len(info))
	now := time.Unix(0, 0)
	piece := func(i int) []byte { return info[i*PieceSize : min(len(info), (i+1)*PieceSize)] }

	f := NewFetcher(ih, FetcherConfig{MaxInFlight: 1})
	for _, k := range []PeerKey{1, 2, 3} {
		if err := f.AddPeer(k, size); err != nil {
			t.Fatal(err)
		}
	}
	reqs, _ := f.Next(now)
	if want := []Request{{1, 0}, {2, 1}, {3, 2}}; !slices.Equal(reqs, want) {
		t.Fatalf("requests %v, want %v", reqs, want)
	}
	// Peer 1 sends piece 1, which it was not asked for: ignored.
	if out := f.OnData(1, Message{Type: MsgData, Piece: 1, TotalSize: size, Data: piece(1)}); out.Done || len(out.Drop) != 0 {
		t.Fatalf("unsolicited data: %+v", out)
	}
	if h, _ := f.Progress(); h != 0 {
		t.Fatalf("unsolicited piece counted: have %d", h)
	}
	// Peer 2 claims another total_size: convicted.
	if out := f.OnData(2, Message{Type: MsgData, Piece: 1, TotalSize: size + 1, Data: piece(1)}); !slices.Equal(out.Drop, []PeerKey{2}) {
		t.Fatalf("bad total_size: %+v", out)
	}
	// Peer 3 sends a short last piece: convicted.
	if out := f.OnData(3, Message{Type: MsgData, Piece: 2, TotalSize: size, Data: piece(2)[:5]}); !slices.Equal(out.Drop, []PeerKey{3}) {
		t.Fatalf("bad length: %+v", out)
	}
	// Peer 1 is the only one left and is handed the freed pieces in turn.
	for want := 0; want < 3; want++ {
		if want > 0 {
			reqs, _ = f.Next(now)
			if !slices.Equal(reqs, []Request{{1, want}}) {
				t.Fatalf("step %d: requests %v", want, reqs)
			}
		}
		out := f.OnData(1, Message{Type: MsgData, Piece: want, TotalSize: size, Data: piece(want)})
		if out.Done != (want == 2) {
			t.Fatalf("piece %d: %+v", want, out)
		}
	}
	if !f.Done() || !bytes.Equal(f.Info(), info) {
		t.Fatal("not done")
	}
}

// TestFetcherTimeoutAndLateData: an overdue piece goes to another peer, the
// slow peer is rested, and its late answer still counts if it comes first.
func TestFetcherTimeoutAndLateData(t *testing.T) {
	info, ih := testInfo(t, PieceSize+1)
	size := int64(len(info))
	t0 := time.Unix(0, 0)
	f := NewFetcher(ih, FetcherConfig{RequestTimeout: 5 * time.Second})
	_ = f.AddPeer(1, size)
	reqs, wake := f.Next(t0)
	if !slices.Equal(reqs, []Request{{1, 0}, {1, 1}}) || !wake.Equal(t0.Add(5*time.Second)) {
		t.Fatalf("Next = %v, %v", reqs, wake)
	}
	_ = f.AddPeer(2, size)
	if reqs, _ := f.Next(t0.Add(time.Second)); len(reqs) != 0 {
		t.Fatalf("pieces reassigned before the timeout: %v", reqs)
	}
	reqs, _ = f.Next(t0.Add(5 * time.Second))
	if !slices.Equal(reqs, []Request{{2, 0}, {2, 1}}) {
		t.Fatalf("after timeout: %v", reqs)
	}
	// Peer 1 answers piece 0 late, before peer 2: accepted.
	f.OnData(1, Message{Type: MsgData, Piece: 0, TotalSize: size, Data: info[:PieceSize]})
	if h, _ := f.Progress(); h != 1 {
		t.Fatalf("late piece not accepted: have %d", h)
	}
	// Peer 2's copy of piece 0 is redundant; piece 1 completes the fetch.
	f.OnData(2, Message{Type: MsgData, Piece: 0, TotalSize: size, Data: info[:PieceSize]})
	if out := f.OnData(2, Message{Type: MsgData, Piece: 1, TotalSize: size, Data: info[PieceSize:]}); !out.Done || len(out.Drop) != 0 {
		t.Fatalf("final piece: %+v", out)
	}
}

func TestFetcherRejectBackoff(t *testing.T) {
	info, ih := testInfo(t, 100)
	t0 := time.Unix(0, 0)
	f := NewFetcher(ih, FetcherConfig{})
	_ = f.AddPeer(1, int64(len(info)))
	reqs, _ := f.Next(t0)
	if len(reqs) != 1 {
		t.Fatalf("requests %v", reqs)
	}
	f.OnReject(1, 0, t0)
	reqs, wake := f.Next(t0)
	if len(reqs) != 0 || !wake.Equal(t0.Add(DefaultRejectBackoff)) {
		t.Fatalf("after reject: %v, wake %v", reqs, wake)
	}
	f.OnReject(1, 0, t0) // a duplicate reject for nothing outstanding changes nothing
	if reqs, _ := f.Next(t0.Add(DefaultRejectBackoff)); !slices.Equal(reqs, []Request{{1, 0}}) {
		t.Fatalf("after backoff: %v", reqs)
	}
}

func TestFetcherRemovePeerFreesPieces(t *testing.T) {
	info, ih := testInfo(t, 3*PieceSize)
	t0 := time.Unix(0, 0)
	f := NewFetcher(ih, FetcherConfig{})
	_ = f.AddPeer(1, int64(len(info)))
	_ = f.AddPeer(2, int64(len(info)))
	if reqs, _ := f.Next(t0); len(reqs) != 3 {
		t.Fatalf("requests %v", reqs)
	}
	f.RemovePeer(1)
	if reqs, _ := f.Next(t0); !slices.Equal(reqs, []Request{{2, 0}}) {
		t.Fatalf("after RemovePeer: %v", reqs)
	}
	f.RemovePeer(2)
	if reqs, wake := f.Next(t0); reqs != nil || !wake.IsZero() || f.Size() != 0 {
		t.Fatalf("no peers: %v %v size %d", reqs, wake, f.Size())
	}
}

// TestFetcherMismatchReportsContributors walks the liar case by hand: a
// mixed attempt fails and names both contributors, a single-source attempt
// from the first suspect succeeds, and the verified bytes convict the liar.
func TestFetcherMismatchReportsContributors(t *testing.T) {
	info, ih := testInfo(t, 2*PieceSize)
	size := int64(len(info))
	now := time.Unix(0, 0)
	f := NewFetcher(ih, FetcherConfig{MaxInFlight: 1})
	_ = f.AddPeer(1, size)
	_ = f.AddPeer(2, size)
	data := func(i int, corrupt bool) Message {
		d := slices.Clone(info[i*PieceSize : (i+1)*PieceSize])
		if corrupt {
			d[0] ^= 1
		}
		return Message{Type: MsgData, Piece: i, TotalSize: size, Data: d}
	}
	if reqs, _ := f.Next(now); !slices.Equal(reqs, []Request{{1, 0}, {2, 1}}) {
		t.Fatalf("requests %v", reqs)
	}
	f.OnData(1, data(0, false))
	out := f.OnData(2, data(1, true))
	if !out.Restarted || out.Done || !slices.Equal(out.Contributors, []PeerKey{1, 2}) || out.Drop != nil {
		t.Fatalf("mismatch outcome %+v", out)
	}
	if h, n := f.Progress(); h != 0 || n != 2 {
		t.Fatalf("progress after restart %d/%d", h, n)
	}
	// Both are suspects: peer 1 alone is asked for everything.
	for i := 0; i < 2; i++ {
		if reqs, _ := f.Next(now); !slices.Equal(reqs, []Request{{1, i}}) {
			t.Fatalf("solo step %d: %v", i, reqs)
		}
		out = f.OnData(1, data(i, false))
	}
	if !out.Done || !slices.Equal(out.Drop, []PeerKey{2}) {
		t.Fatalf("final outcome %+v", out)
	}
}
