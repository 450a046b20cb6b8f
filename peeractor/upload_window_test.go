package peeractor

import (
	"net"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// countingDisk answers reads at once with blocks whose first byte is the
// read's number, and counts them.
type countingDisk struct{ reads *atomic.Int64 }

func (d *countingDisk) Receive(c actor.Context) {
	if m, ok := c.Message().(*messages.DiskRead); ok {
		n := d.reads.Add(1)
		buf := bufpool.Get(m.Length)[:m.Length]
		buf[0] = byte(n)
		c.Send(m.ReplyTo, &messages.DiskReadReply{Piece: m.Piece, Begin: m.Begin, Data: buf})
	}
}

// A remote that asks for many blocks and stops reading its socket finds
// exactly maxUploadsInFlight blocks read for it: enough to cover several
// of the disk's read-ahead lines, so the next line is read while one is
// being sent (with one line in flight, as before, a libtorrent downloader
// waited for every line's read after the previous line's send). Once it
// reads again, every block comes, in the order asked for.
func TestUploadWindowOverlapsReadsAndSends(t *testing.T) {
	if maxUploadsInFlight < 4*diskReadLine {
		t.Fatalf("maxUploadsInFlight is %d blocks, under four of the disk's %d-block read lines", maxUploadsInFlight, diskReadLine)
	}
	synctest.Test(t, func(t *testing.T) {
		sys := newPairSystem(t)
		local, remote := net.Pipe()
		var reads atomic.Int64
		disk := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &countingDisk{reads: &reads} }))
		all := bitfield.New(pairInfo.NumPieces())
		for i := range pairInfo.NumPieces() {
			all.Set(i)
		}
		var ours, theirs [20]byte
		copy(ours[:], "-TT0000-seeder------")
		copy(theirs[:], "-TT0000-leecher-----")
		hs := wire.Handshake{PeerID: theirs}
		cfg := Config{
			Key: 1, PeerID: ours, Info: pairInfo, Have: all, Credit: actors.NewCredit(1 << 20), Disk: disk,
			Settings: settings.Default(), Conn: local, Handshake: &hs,
		}
		parent := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &pairTorrent{cfg: cfg} }))
		t.Cleanup(func() {
			remote.Close()
			_ = sys.Root.StopFuture(parent).Wait()
			_ = sys.Root.StopFuture(disk).Wait()
		})
		if _, err := wire.ReadHandshake(remote); err != nil {
			t.Fatal(err)
		}
		r := wire.NewReader(remote)
		unchoked := make(chan error, 1)
		go func() {
			for {
				m, err := r.ReadMessage()
				if err != nil || (!m.KeepAlive && m.ID == wire.Unchoke) {
					unchoked <- err
					return
				}
			}
		}()
		if _, err := remote.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Interested})); err != nil {
			t.Fatal(err)
		}
		if err := <-unchoked; err != nil {
			t.Fatal(err)
		}
		// 256 blocks: twice the window, and under the requests a peer may
		// queue (maxRequestQueue; more is a flood that ends the connection).
		blocks := min(int(pairInfo.TotalLength/wire.BlockSize), 256)
		var reqs []byte
		for i := range blocks {
			at := int64(i) * wire.BlockSize
			reqs = wire.AppendRequest(reqs, uint32(at/pairPieceLen), uint32(at%pairPieceLen), wire.BlockSize)
		}
		if _, err := remote.Write(reqs); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // the writer is stuck on the pipe, nobody reading it
		if got := reads.Load(); got != maxUploadsInFlight {
			t.Fatalf("%d blocks read while the socket was full, want maxUploadsInFlight = %d", got, maxUploadsInFlight)
		}

		for i := range blocks {
			m, err := r.ReadMessage()
			for err == nil && (m.KeepAlive || m.ID != wire.Piece) {
				m, err = r.ReadMessage()
			}
			if err != nil {
				t.Fatalf("block %d: %v", i, err)
			}
			at := int64(i) * wire.BlockSize
			if int64(m.Index) != at/pairPieceLen || int64(m.Begin) != at%pairPieceLen || len(m.Block) != wire.BlockSize || m.Block[0] != byte(i+1) {
				t.Fatalf("block %d: got piece %d offset %d, %d bytes, read #%d", i, m.Index, m.Begin, len(m.Block), m.Block[0])
			}
		}
		if got := reads.Load(); got != int64(blocks) {
			t.Fatalf("%d reads for %d blocks", got, blocks)
		}
	})
}
