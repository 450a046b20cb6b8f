package piecepicker

import "testing"

// DownloadQueue shows each piece in flight with its blocks: requested
// (from whom, how many), received (from whom), or neither.
func TestDownloadQueue(t *testing.T) {
	p := New(4, 4*BlockSize, 16*BlockSize)
	p.SetSeed(1)
	p.PeerHaveAll(1)
	p.PeerHaveAll(2)
	if q := p.DownloadQueue(); len(q) != 0 {
		t.Fatalf("queue before any pick: %+v", q)
	}
	got := p.Pick(1, 3) // three blocks of one piece
	if ok, _, _ := p.BlockReceived(1, got[0]); !ok {
		t.Fatal("block not taken")
	}
	q := p.DownloadQueue()
	if len(q) != 1 || q[0].Piece != got[0].Piece || len(q[0].Blocks) != 4 {
		t.Fatalf("queue %+v", q)
	}
	b := q[0].Blocks
	if b[0].State != BlockFinished || b[0].Peer != 1 || b[1].State != BlockRequested || b[1].NumPeers != 1 ||
		b[2].State != BlockRequested || b[3].State != BlockNone {
		t.Fatalf("blocks %+v", b)
	}
	if q[0].Finished != 1 || q[0].Requested != 2 {
		t.Fatalf("counts %+v", q[0])
	}
	mustCheck(t, p)
}
