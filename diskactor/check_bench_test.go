package diskactor

import (
	"context"
	"crypto/sha1"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// BenchmarkCheck is a full check of 256 MiB in the page cache, as one
// file and as 50, through the disk actor with one worker per core. Compare
// its MB/s with BenchmarkSHA1PerCore times the number of cores (the
// bench's sha1_limit): go test -bench 'Check|SHA1' ./diskactor
func BenchmarkCheck(b *testing.B) {
	const size = 256 << 20
	for _, n := range []int{1, 50} {
		b.Run(fmt.Sprintf("files=%d", n), func(b *testing.B) {
			files := make([]fileSpec, n)
			for i := range files {
				files[i] = fileSpec{fmt.Sprintf("%03d", i), size / int64(n)}
			}
			files[n-1].size += size % int64(n)
			src := b.TempDir()
			mp := makeMultiPayload(b, src, files, 1<<20, 50)
			sys := actors.NewSystem(nil)
			defer sys.Shutdown()
			disk := sys.Root.Spawn(New(Config{Settings: withSettings("hashing_threads", runtime.NumCPU())}))
			defer func() { _ = sys.Root.StopFuture(disk).Wait() }()
			replies := make(chan *messages.DiskCheckReply, 1)
			owner := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
				if m, ok := c.Message().(*messages.DiskCheckReply); ok {
					replies <- m
				}
			}))
			sys.Root.Send(disk, &messages.DiskAddTorrent{InfoHash: mp.meta.InfoHash, Info: &mp.meta.Info,
				SavePath: src, Owner: owner})
			warm(b, filepath.Join(src, "top"))
			b.SetBytes(size)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sys.Root.Send(disk, &messages.DiskCheck{InfoHash: mp.meta.InfoHash})
				for p, ok := range (<-replies).Have {
					if !ok {
						b.Fatalf("piece %d failed", p)
					}
				}
			}
			b.StopTimer()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, _ = actors.Request(ctx, sys.Root, disk, &messages.DiskRemoveTorrent{InfoHash: mp.meta.InfoHash})
		})
	}
}

// BenchmarkSHA1PerCore is crypto/sha1 over 1 MiB pieces on one core.
func BenchmarkSHA1PerCore(b *testing.B) {
	buf := make([]byte, 1<<20)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		sha1.Sum(buf)
	}
}

// warm reads every file under dir once, so the check finds it cached.
func warm(b *testing.B, dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range ents {
		if _, err := os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			b.Fatal(err)
		}
	}
}
