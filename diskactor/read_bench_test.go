package diskactor

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchPeer reads every block of a torrent as a peer's upload path does:
// pieces in its own random order (rarest-first looks random from the
// seed), blocks in order inside a piece, at most 32 reads in flight
// (peeractor's upload window at send_buffer_watermark), and each buffer put back once "sent".
type benchPeer struct {
	disk     *actor.PID
	ih       messages.InfoHash
	info     *metainfo.Info
	order    []messages.Block
	next     int
	inFlight int
	done     chan error
}

func (p *benchPeer) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		p.fill(c)
	case *messages.DiskReadReply:
		p.inFlight--
		if m.Err != nil {
			p.done <- m.Err
			return
		}
		bufpool.Put(m.Data)
		p.fill(c)
		if p.inFlight == 0 && p.next == len(p.order) {
			p.done <- nil
		}
	}
}

func (p *benchPeer) fill(c actor.Context) {
	for p.inFlight < 32 && p.next < len(p.order) {
		b := p.order[p.next]
		p.next++
		p.inFlight++
		c.Send(p.disk, &messages.DiskRead{InfoHash: p.ih, Piece: b.Piece, Begin: b.Begin, Length: b.Length, ReplyTo: c.Self()})
	}
}

// BenchmarkSeedReads measures the disk's seeding path alone: peers
// reading a 64 MiB torrent (1 MiB pieces) from a warm page cache, with the
// default cache_size (32 MiB). Bytes are those served to all peers.
func BenchmarkSeedReads(b *testing.B) {
	const size, pieceLen = 64 << 20, 1 << 20
	src := b.TempDir()
	mi, _ := benchTorrent(b, src, "seed.bin", size, pieceLen, 1)
	for _, peers := range []int{1, 4} {
		b.Run(fmt.Sprintf("peers=%d", peers), func(b *testing.B) {
			sys := actors.NewSystem(nil)
			defer sys.Shutdown()
			disk := sys.Root.Spawn(New(Config{Settings: withSettings("hashing_threads", runtime.NumCPU(), "cache_size", int((2048*bufpool.BlockSize)/bufpool.BlockSize))}))
			defer func() { _ = sys.Root.StopFuture(disk).Wait() }()
			checked := make(chan struct{})
			owner := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
				return actor.ReceiveFunc(func(c actor.Context) {
					if _, ok := c.Message().(*messages.DiskCheckReply); ok {
						close(checked)
					}
				})
			}))
			sys.Root.Send(disk, &messages.DiskAddTorrent{InfoHash: mi.InfoHash, Info: &mi.Info, SavePath: src, Owner: owner})
			sys.Root.Send(disk, &messages.DiskCheck{InfoHash: mi.InfoHash})
			select {
			case <-checked:
			case <-time.After(time.Minute):
				b.Fatal("check did not finish")
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			jobs := func() int64 {
				st, err := actors.Request(ctx, sys.Root, disk, &messages.DiskStatus{})
				if err != nil {
					b.Fatal(err)
				}
				return st.(*messages.DiskStatusReply).BlocksRead
			}
			before := jobs()
			cpu0 := cpuTime()
			b.SetBytes(int64(size * peers))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				done := make(chan error, peers)
				for k := range peers {
					rng := rand.New(rand.NewSource(int64(i*peers + k)))
					var order []messages.Block
					for _, p := range rng.Perm(mi.Info.NumPieces()) {
						for off := int64(0); off < mi.Info.PieceSize(p); off += bufpool.BlockSize {
							order = append(order, messages.Block{Piece: p, Begin: int(off), Length: int(min(bufpool.BlockSize, mi.Info.PieceSize(p)-off))})
						}
					}
					peer := &benchPeer{disk: disk, ih: mi.InfoHash, info: &mi.Info, order: order, done: done}
					sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return peer }))
				}
				for range peers {
					if err := <-done; err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			gib := float64(b.N) * float64(size*peers) / (1 << 30)
			b.ReportMetric((cpuTime()-cpu0).Seconds()/gib, "cpu-s/GiB")
			b.ReportMetric(float64(jobs()-before)/float64(b.N), "readjobs/op")
		})
	}
}

// benchTorrent writes size random bytes (from seed) to dir/name and
// returns its torrent with pieceLen pieces, and the bytes.
func benchTorrent(b *testing.B, dir, name string, size, pieceLen int64, seed int64) (*metainfo.MetaInfo, []byte) {
	b.Helper()
	data := make([]byte, size)
	rand.New(rand.NewSource(seed)).Read(data)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	mi, err := metainfo.Create(path, metainfo.CreateOptions{PieceLength: pieceLen})
	if err != nil {
		b.Fatal(err)
	}
	return mi, data
}
