package actorrent

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/wire"
)

// handshakeFromAddr dials addr from local (nil: any) and sends a handshake for
// ti; it reports whether the session answered with its own (it accepted
// the connection) or closed it.
func handshakeFromAddr(t *testing.T, local net.Addr, addr string, ti *TorrentInfo) bool {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: local}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	var id [20]byte
	copy(id[:], fmt.Sprintf("-BI0000-%012d", time.Now().UnixNano()%1e12))
	if err := wire.WriteHandshake(c, wire.Handshake{InfoHash: ti.InfoHash(), PeerID: id}); err != nil {
		t.Fatal(err)
	}
	_, err = wire.ReadHandshake(c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the session neither answered nor closed the connection")
	}
	return err == nil
}

// Ban by IP, as libtorrent: with allow_multiple_connections_per_ip off
// (the default) a torrent keeps one connection per remote IP, so a second
// connection from 127.0.0.1 is closed while one from 127.0.0.2 (its own
// loopback address, as tests on one machine use) is taken; with the
// setting on, both are taken.
func TestOneConnectionPerIPIncoming(t *testing.T) {
	for _, allow := range []bool{false, true} {
		t.Run(fmt.Sprintf("allow=%v", allow), func(t *testing.T) {
			pl := makeHostilePayload(t, 256<<10, 16<<10)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			p := testSettings()
			p.SetBool(AllowMultipleConnectionsPerIP, allow)
			seeder := newTestSessionWith(t, p)
			h, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: pl.ti, SavePath: pl.src})
			if err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
			addrs, err := seeder.ListenAddrs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			dialHostile(t, addrs[0], pl.ti, pl.data) // from 127.0.0.1, stays open
			waitFor(ctx, t, h, "the first peer", func(s TorrentStatus) bool { return s.NumPeers == 1 })
			lo1 := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}
			if got := handshakeFromAddr(t, lo1, addrs[0], pl.ti); got != allow {
				t.Fatalf("second connection from 127.0.0.1 accepted = %v, want %v", got, allow)
			}
			lo2 := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}
			if !handshakeFromAddr(t, lo2, addrs[0], pl.ti) {
				t.Fatal("a connection from 127.0.0.2 was closed")
			}
			want := 2
			if allow {
				want = 3
			}
			waitFor(ctx, t, h, fmt.Sprint(want, " peers"), func(s TorrentStatus) bool { return s.NumPeers == want })
		})
	}
}
