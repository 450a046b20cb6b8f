package actorrent

import (
	"bytes"
	"context"
	"net"
	"testing"
	"time"
)

// The DHT answers on the listen port, on the UDP socket uTP uses (there
// can be only one socket on that port: a DHT with a socket of its own
// would have had to take another port), and uTP goes on working beside it.
func TestDHTSharesTheListenPortWithUTP(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s, addr := dhtNode(ctx, t, "127.0.0.1")
	c, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ping := []byte("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")
	buf := make([]byte, 1500)
	// UDP may lose a datagram: ask again each second until the answer
	// comes, within the test's time.
	for {
		if _, err := c.Write(ping); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		n, err := c.Read(buf)
		if err == nil {
			if !bytes.Contains(buf[:n], []byte("1:y1:r")) || !bytes.Contains(buf[:n], []byte("2:aa")) {
				t.Fatalf("answer to a ping on the listen port: %q", buf[:n])
			}
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("no DHT answer on the listen port %s: %v", addr, err)
		}
	}
	// The uTP side of the same socket still accepts connections.
	seeder := s
	ti, src := oneFileTorrent(t)
	if _, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src}); err != nil {
		t.Fatal(err)
	}
	leecher := newTestSessionWith(t, utpOnly())
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := lh.ConnectPeer(ctx, addr); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, lh, "a download over uTP from the DHT node", func(st TorrentStatus) bool { return st.IsSeeding })
}
