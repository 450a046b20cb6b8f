package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkTransferLoopback moves a 256 MiB torrent (1 MiB pieces) from one
// session to another over TCP on 127.0.0.1; it is the quick pprof target for
// the hot path (make bench compares with libtorrent).
func BenchmarkTransferLoopback(b *testing.B) { benchTransfer(b, testSettings()) }

// BenchmarkTransferLoopbackUTP is the same over uTP alone (TCP off both
// ways).
func BenchmarkTransferLoopbackUTP(b *testing.B) { benchTransfer(b, utpOnly()) }

// benchTransfer moves the torrent between two sessions with settings p.
func benchTransfer(b *testing.B, p SettingsPack) {
	const size = 256 << 20
	src := b.TempDir()
	t := &testing.T{}
	writePayload(t, src, map[string]int64{"big.bin": size}, 7)
	ti, err := CreateTorrent(filepath.Join(src, "big.bin"), CreateTorrentOptions{PieceSize: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	seeder, err := NewSession(ctx, p)
	if err != nil {
		b.Fatal(err)
	}
	defer seeder.Close(ctx)
	sh, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		b.Fatal(err)
	}
	for {
		st, _ := sh.Status(ctx)
		if st.IsSeeding {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	addrs, _ := seeder.ListenAddrs(ctx)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst := b.TempDir()
		leecher, err := NewSession(ctx, p)
		if err != nil {
			b.Fatal(err)
		}
		h, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
		if err != nil {
			b.Fatal(err)
		}
		if err := h.ConnectPeer(ctx, addrs[0]); err != nil {
			b.Fatal(err)
		}
		for {
			st, err := h.Status(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if st.IsFinished {
				break
			}
			if st.Error != "" {
				b.Fatal(st.Error)
			}
			time.Sleep(5 * time.Millisecond)
		}
		leecher.Close(ctx)
	}
}
