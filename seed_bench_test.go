package actorrent

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// processCPU is the process's user and system time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSeedServesSessions is our seed serving a 128 MiB torrent (1 MiB
// pieces) to 1 and 3 sessions of ours at once over TCP on 127.0.0.1: the
// read cache's figure of merit. Bytes are those the seed uploads;
// cpu-s/GiB is the whole process (seed and leechers) per GiB uploaded;
// hit% is the share of the seed's block requests served from its cache.
func BenchmarkSeedServesSessions(b *testing.B) {
	const size = 128 << 20
	src := b.TempDir()
	writePayload(&testing.T{}, src, map[string]int64{"seed.bin": size}, 8)
	ti, err := CreateTorrent(filepath.Join(src, "seed.bin"), CreateTorrentOptions{PieceSize: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	for _, leechers := range []int{1, 3} {
		b.Run(fmt.Sprintf("leechers=%d", leechers), func(b *testing.B) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			seeder, err := NewSession(ctx, testSettings())
			if err != nil {
				b.Fatal(err)
			}
			defer seeder.Close(ctx)
			sh, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
			if err != nil {
				b.Fatal(err)
			}
			for st, _ := sh.Status(ctx); !st.IsSeeding; st, _ = sh.Status(ctx) {
				time.Sleep(10 * time.Millisecond)
			}
			addrs, _ := seeder.ListenAddrs(ctx)
			before, _ := seeder.GetCacheInfo(ctx, TorrentHandle{}, DiskCacheNoPieces)
			cpu0 := processCPU()
			b.SetBytes(int64(size * leechers))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var sessions []*Session
				var handles []TorrentHandle
				for range leechers {
					s, err := NewSession(ctx, testSettings())
					if err != nil {
						b.Fatal(err)
					}
					sessions = append(sessions, s)
					h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: b.TempDir()})
					if err != nil {
						b.Fatal(err)
					}
					if err := h.ConnectPeer(ctx, addrs[0]); err != nil {
						b.Fatal(err)
					}
					handles = append(handles, h)
				}
				for _, h := range handles {
					for {
						st, err := h.Status(ctx)
						if err != nil {
							b.Fatal(err)
						}
						if st.IsFinished {
							break
						}
						time.Sleep(5 * time.Millisecond)
					}
				}
				for _, s := range sessions {
					s.Close(ctx)
				}
			}
			b.StopTimer()
			gib := float64(b.N) * float64(size*leechers) / (1 << 30)
			b.ReportMetric((processCPU()-cpu0).Seconds()/gib, "cpu-s/GiB")
			after, _ := seeder.GetCacheInfo(ctx, TorrentHandle{}, DiskCacheNoPieces)
			if reqs := (after.BlocksReadHit - before.BlocksReadHit) + (after.Reads - before.Reads); reqs > 0 {
				b.ReportMetric(100*float64(after.BlocksReadHit-before.BlocksReadHit)/float64(reqs), "hit%")
			}
		})
	}
}
