package actorrent

import (
	"bytes"
	"context"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/wire"
)

// Storms of small messages against a seeder: however fast a peer sends
// them, the session's memory stays bounded (issue 10, part 10). A peer
// reads its socket on a goroutine of its own and hands every message on;
// where nothing pushes back, a 4-byte keep-alive turns into a mailbox
// entry some 40 times its size, and a peer that sends faster than the
// actors handle grows the heap for as long as it sends.
//
// Each storm is 2M messages, written as fast as loopback takes them; the
// heap is sampled while it lasts and until the session has handled it (a
// protocol violation sent after the storm drops the peer, and the torrent
// counts it gone). The bound is far below what
// the storm would cost unbounded (2M entries of ~150 bytes: 300 MB) and
// far above a session's working set (measured: 2 to 13 MiB; unbounded, the
// interest flips took 350 MiB and the bitfield flips over 100).
func TestHostileStormsBoundedMemory(t *testing.T) {
	const (
		storm     = 2_000_000
		heapBound = 64 << 20
	)
	for _, tt := range []struct {
		name string
		msgs []wire.Message // repeated, in order, until storm messages were sent
		// pieces, when set, is the torrent's piece count (16 KiB pieces)
		// rather than 4: the bitfields are its size.
		pieces int
	}{
		{"keep-alives", []wire.Message{{KeepAlive: true}}, 0},
		{"interest toggles", []wire.Message{{ID: wire.Interested}, {ID: wire.NotInterested}}, 0},
		{"choke toggles", []wire.Message{{ID: wire.Choke}, {ID: wire.Unchoke}}, 0},
		{"the same have", []wire.Message{{ID: wire.Have, Index: 0}}, 0},
		{"cancels of nothing", []wire.Message{{ID: wire.Cancel, Index: 1, Begin: 0, Length: 16 << 10}}, 0},
		// Bitfields after the first replace the peer's pieces (aria2
		// sends them); each is a report to the torrent, and so is each
		// have after one (never all pieces: a seed drops a seed).
		{"bitfield flips", []wire.Message{
			{ID: wire.BitfieldMsg, Bitfield: append(bytes.Repeat([]byte{0xff}, 255), 0xfe)},
			{ID: wire.BitfieldMsg, Bitfield: make([]byte, 256)}, {ID: wire.Have, Index: 2},
		}, 2048},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pl := makeHostilePayload(t, 1<<20, 256<<10)
			if tt.pieces > 0 {
				pl = makeHostilePayload(t, int64(tt.pieces)<<14, 16<<10)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
			defer cancel()
			seeder, addrs := seedingSession(ctx, t, pl.ti, pl.src)
			sh := seederHandle(ctx, t, seeder)
			h := dialHostile(t, addrs[0], pl.ti, pl.data)
			_ = h.conn.SetDeadline(time.Now().Add(100 * time.Second))
			closed := make(chan struct{})
			go func() { _, _ = h.readUntil(func(wire.Message) bool { return false }); close(closed) }()

			peak := sampleHeap(t)
			var chunk []byte
			perChunk := 0
			for len(chunk) < 64<<10 {
				for _, m := range tt.msgs {
					chunk = wire.AppendMessage(chunk, m)
					perChunk++
				}
			}
			for sent := 0; sent < storm; sent += perChunk {
				if _, err := h.conn.Write(chunk); err != nil {
					t.Fatalf("the session closed the connection after %d messages: %v", sent, err)
				}
			}
			// A have of a piece the torrent lacks breaks the protocol:
			// the peer is dropped once every message before it was
			// handled, and the torrent hears of it after the storm's
			// own messages to it.
			if err := h.send(wire.Message{ID: wire.Have, Index: uint32(pl.ti.NumPieces())}); err != nil {
				t.Fatal(err)
			}
			select {
			case <-closed:
			case <-ctx.Done():
				t.Fatal("the session did not drop the peer after the storm")
			}
			waitFor(ctx, t, sh, "the peer gone", func(s TorrentStatus) bool { return s.NumPeers == 0 })
			if grew := peak(); grew > heapBound {
				t.Fatalf("the heap grew by %d MiB during a storm of %d messages (bound %d MiB)", grew>>20, storm, heapBound>>20)
			} else {
				t.Logf("heap growth at most %d MiB", grew>>20)
			}
		})
	}
}

// sampleHeap samples the heap in use every millisecond until the test
// ends; the returned function stops sampling and gives the peak's growth
// over the heap at the start (after a GC).
func sampleHeap(t *testing.T) func() uint64 {
	t.Helper()
	// A low GC target: the samples then follow what the session keeps
	// rather than garbage waiting for a collection (with the default
	// target, up to the live heap again, and a test payload is live).
	old := debug.SetGCPercent(25)
	t.Cleanup(func() { debug.SetGCPercent(old) })
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	peak.Store(base)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
		}
	}()
	var once sync.Once
	end := func() uint64 {
		once.Do(func() { close(stop); wg.Wait() })
		return peak.Load() - base
	}
	t.Cleanup(func() { end() })
	return end
}

// seederHandle is the handle of a session's only torrent.
func seederHandle(ctx context.Context, t *testing.T, s *Session) TorrentHandle {
	t.Helper()
	hs, err := s.GetTorrents(ctx)
	if err != nil || len(hs) != 1 {
		t.Fatalf("the seeder's torrents: %v %v", hs, err)
	}
	return hs[0]
}
