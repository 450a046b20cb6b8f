package diskactor

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// benchCredit is a torrent's write credit as the peers see it: Acquire
// waits while the bytes handed to the disk and not written reach limit.
type benchCredit struct {
	mu    sync.Mutex
	cond  *sync.Cond
	used  int64
	limit int64
}

func newBenchCredit(limit int64) *benchCredit {
	c := &benchCredit{limit: limit}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *benchCredit) Acquire(n int64) {
	c.mu.Lock()
	for c.used+n > c.limit {
		c.cond.Wait()
	}
	c.used += n
	c.mu.Unlock()
}

func (c *benchCredit) Release(n int64) {
	c.mu.Lock()
	c.used -= n
	c.cond.Broadcast()
	c.mu.Unlock()
}

// BenchmarkDownloadWrites measures the disk's downloading path alone: a
// 64 MiB torrent of 1 MiB pieces arriving block by block, paced by 16 MiB
// of write credit as peers are; with in order (one peer per piece) and
// interleaved (blocks of four pieces alternating, as four peers fetching
// at once deliver them). Every piece is hashed and written.
func BenchmarkDownloadWrites(b *testing.B) {
	const size, pieceLen = 64 << 20, 1 << 20
	src := b.TempDir()
	mi, data := benchTorrent(b, src, "down.bin", size, pieceLen, 2)
	for _, interleave := range []int{1, 4} {
		b.Run(fmt.Sprintf("interleave=%d", interleave), func(b *testing.B) {
			var order []messages.Block
			nb := pieceLen / bufpool.BlockSize
			for p := 0; p < mi.Info.NumPieces(); p += interleave {
				for blk := range nb {
					for q := p; q < min(p+interleave, mi.Info.NumPieces()); q++ {
						order = append(order, messages.Block{Piece: q, Begin: blk * bufpool.BlockSize, Length: bufpool.BlockSize})
					}
				}
			}
			sys := actors.NewSystem(nil)
			defer sys.Shutdown()
			disk := sys.Root.Spawn(New(Config{Settings: withSettings("hashing_threads", runtime.NumCPU(), "cache_size", int((2048*bufpool.BlockSize)/bufpool.BlockSize))}))
			defer func() { _ = sys.Root.StopFuture(disk).Wait() }()
			cpu0 := cpuTime()
			b.SetBytes(size)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				hashed := make(chan bool, mi.Info.NumPieces())
				owner := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
					return actor.ReceiveFunc(func(c actor.Context) {
						if h, ok := c.Message().(*messages.PieceHashed); ok {
							hashed <- h.OK
						}
					})
				}))
				credit := newBenchCredit(16 << 20)
				sys.Root.Send(disk, &messages.DiskAddTorrent{InfoHash: mi.InfoHash, Info: &mi.Info, SavePath: b.TempDir(),
					Owner: owner, Credit: credit, CreditLimit: 16 << 20})
				for _, blk := range order {
					credit.Acquire(bufpool.BlockSize)
					buf := bufpool.Get(blk.Length)
					off := mi.Info.PieceOffset(blk.Piece) + int64(blk.Begin)
					copy(buf, data[off:])
					sys.Root.Send(disk, &messages.DiskWrite{InfoHash: mi.InfoHash, Piece: blk.Piece, Begin: blk.Begin, Data: buf})
				}
				for range mi.Info.NumPieces() {
					select {
					case ok := <-hashed:
						if !ok {
							b.Fatal("a piece failed its hash")
						}
					case <-time.After(time.Minute):
						b.Fatal("pieces not hashed")
					}
				}
				b.StopTimer()
				if _, err := sys.Root.RequestFuture(disk, &messages.DiskRemoveTorrent{InfoHash: mi.InfoHash}, time.Minute).Result(); err != nil {
					b.Fatal(err)
				}
				sys.Root.Stop(owner)
				b.StartTimer()
			}
			b.StopTimer()
			gib := float64(b.N) * size / (1 << 30)
			b.ReportMetric((cpuTime()-cpu0).Seconds()/gib, "cpu-s/GiB")
		})
	}
}
