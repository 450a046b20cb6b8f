package torrentactor

import (
	"testing"

	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/asynkron/protoactor-go/actor"
)

// A peer is fast enough for pieces of its own when whole_pieces_threshold
// seconds of its download rate (at most 8 MiB) make a piece, and no piece
// has a deadline; on parole when the torrent says so.
func TestPickHints(t *testing.T) {
	const piece = 1 << 20
	tests := []struct {
		name      string
		set       map[string]any
		rate      int
		deadlines int
		parole    bool
		want      piecepicker.Hints
	}{
		{"slow", nil, piece / 20, 0, false, piecepicker.Hints{}},
		{"a piece in 20 s", nil, (piece + 19) / 20, 0, false, piecepicker.Hints{Whole: true}},
		{"threshold 0: never", map[string]any{"whole_pieces_threshold": 0}, 100 * piece, 0, false, piecepicker.Hints{}},
		{"deadlines: shared", nil, 100 * piece, 1, false, piecepicker.Hints{}},
		{"on parole", nil, 0, 0, true, piecepicker.Hints{Parole: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &peerInfo{parole: tt.parole}
			p.stats.PayloadDownloadRate = tt.rate
			if got := pickHints(withSettings(tt.set), p, piece, tt.deadlines); got != tt.want {
				t.Fatalf("hints %+v, want %+v", got, tt.want)
			}
		})
	}
	// 8 MiB at most: a 16 MiB piece is never whole, however fast the peer.
	p := &peerInfo{}
	p.stats.PayloadDownloadRate = 1 << 30
	if got := pickHints(withSettings(nil), p, 16<<20, 0); got.Whole {
		t.Fatal("16 MiB pieces picked whole")
	}
}

// With use_parole_mode, the senders of a failed piece go on parole, and
// off it when a piece they sent data of passes; without it they do not.
func TestParoleFollowsHashResults(t *testing.T) {
	for _, on := range []bool{true, false} {
		a := &Actor{set: withSettings(map[string]any{"use_parole_mode": on}), plist: peerlist.New(peerListConfig(withSettings(nil)))}
		x := &peerInfo{key: 1, pid: actor.NewPID("l", "x"), addr: "10.0.0.1:1"}
		y := &peerInfo{key: 2, pid: actor.NewPID("l", "y"), addr: "10.0.0.2:1"}
		a.peers.add(x)
		a.peers.add(y)
		a.senders.note(3, x.addr)
		a.senders.note(3, y.addr) // two senders: trust lost, nobody banned
		a.blameSenders(nil, 3)
		if x.parole != on || y.parole != on {
			t.Fatalf("use_parole_mode %v: parole %v %v after a failed piece", on, x.parole, y.parole)
		}
		a.senders.note(4, x.addr)
		a.creditSenders(4)
		if x.parole || y.parole != on {
			t.Fatalf("use_parole_mode %v: parole %v %v after x's piece passed", on, x.parole, y.parole)
		}
	}
}
