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
// exactly the upload window read for it: at the start (nothing sent yet)
// send_buffer_low_watermark, by default one of the disk's read-ahead
// lines; with the window at send_buffer_watermark, by default four lines,
// so the next line is read while one is being sent (with one line in
// flight a libtorrent downloader waited for every line's read after the
// previous line's send). Once it reads again, every block comes, in the
// order asked for.
func TestUploadWindowOverlapsReadsAndSends(t *testing.T) {
	high := settings.Default().Int(settings.SendBufferWatermark)
	if high < 4*diskReadLine*wire.BlockSize {
		t.Fatalf("send_buffer_watermark is %d bytes, under four of the disk's %d-block read lines", high, diskReadLine)
	}
	tests := []struct {
		name   string
		set    map[string]any
		blocks int64
	}{
		{"defaults: one line until the peer has taken some", nil, diskReadLine},
		{"low watermark at the high one: four lines", map[string]any{"send_buffer_low_watermark": high}, 4 * diskReadLine},
		{"libtorrent's low watermark: one block", map[string]any{"send_buffer_low_watermark": 10 * 1024}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { testUploadWindow(t, settingsWith(t, tt.set), tt.blocks) })
	}
}

func testUploadWindow(t *testing.T, set *settings.Snapshot, window int64) {
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
			Settings: set, Conn: local, Handshake: &hs,
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
		// 256 blocks: more than the window, and under the requests a peer
		// may queue (max_allowed_in_request_queue; more is a flood that
		// ends the connection).
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
		if got := reads.Load(); got != window {
			t.Fatalf("%d blocks read while the socket was full, want the window, %d", got, window)
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

// The window is the last second's bytes times the factor, clamped between
// the watermarks, in blocks rounded up; a settings change recomputes it
// from the same second.
func TestSendWindowBlocks(t *testing.T) {
	tests := []struct {
		name       string
		set        map[string]any
		lastSecond int64
		want       int
	}{
		{"idle: low watermark", nil, 0, 32},
		{"1 MiB/s at 50%: under the low watermark", nil, 1 << 20, 32},
		{"2 MiB/s at 50%: 1 MiB", nil, 2 << 20, 64},
		{"3 MiB/s at 50%: 1.5 MiB", nil, 3 << 20, 96},
		{"100 MiB/s: clamped to the watermark", nil, 100 << 20, 128},
		{"factor 150", map[string]any{"send_buffer_watermark_factor": 150}, 1 << 20, 96},
		{"libtorrent's defaults, idle", map[string]any{"send_buffer_low_watermark": 10240, "send_buffer_watermark": 512000}, 0, 1},
		{"libtorrent's defaults, fast", map[string]any{"send_buffer_low_watermark": 10240, "send_buffer_watermark": 512000}, 100 << 20, 32},
		{"a partial block rounds up", map[string]any{"send_buffer_low_watermark": 16385}, 0, 2},
		{"zero watermarks: still one block", map[string]any{"send_buffer_low_watermark": 0, "send_buffer_watermark": 0}, 1 << 20, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sendWindowBlocks(settingsWith(t, tt.set), tt.lastSecond); got != tt.want {
				t.Fatalf("window %d blocks, want %d", got, tt.want)
			}
		})
	}
	var w uploadWindow
	w.update(settings.Default(), 2<<20)
	w.update(settingsWith(t, map[string]any{"send_buffer_watermark_factor": 25}), -1)
	if w.blocks != 32 {
		t.Fatalf("after a factor change the window is %d blocks, want 32 (2 MiB/s at 25%%)", w.blocks)
	}
}
