package actorrent

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/wire"
)

// extPeer connects to addr from local (a 127.0.0.x of its own) with the
// extension bit set, and returns our extension handshake once it sent its
// own.
func extPeer(t *testing.T, addr, local string, ti *TorrentInfo, theirs metadata.ExtHandshake) metadata.ExtHandshake {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	var id [20]byte
	copy(id[:], fmt.Sprintf("-HP0000-%012d", time.Now().UnixNano()%1e12))
	hs := wire.Handshake{InfoHash: ti.InfoHash(), PeerID: id}
	hs.Reserved[wire.ReservedExtensionByte] |= wire.ReservedExtensionBit
	if err := wire.WriteHandshake(c, hs); err != nil {
		t.Fatal(err)
	}
	if _, err := wire.ReadHandshake(c); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Extended, Payload: metadata.AppendExtHandshake(nil, theirs)})); err != nil {
		t.Fatal(err)
	}
	r := wire.NewReader(c)
	for {
		m, err := r.ReadMessage()
		if err != nil {
			t.Fatalf("reading our extension handshake: %v", err)
		}
		if !m.KeepAlive && m.ID == wire.Extended && m.ExtendedID == metadata.HandshakeID {
			h, err := metadata.ParseExtHandshake(m.Payload)
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
	}
}

// Our extension handshake tells a peer our listen port (p), how we see it
// (yourip) and, from a seed, upload_only (BEP 21); what peers say they see
// of us decides our external address: external_ip on the first vote, as
// libtorrent's ip_voter.
func TestExtensionHandshakeAndExternalIP(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, src := oneFileTorrent(t)
	set := testSettings()
	set.SetInt(AlertMask, int(CategoryError|CategoryStatus))
	s := newTestSessionWith(t, set)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(st TorrentStatus) bool { return st.IsSeeding })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(addrs[0])
	ours := extPeer(t, addrs[0], "127.0.0.2", ti, metadata.ExtHandshake{M: map[string]uint8{}, YourIP: netip.MustParseAddr("203.0.113.7")})
	if fmt.Sprint(ours.P) != port || ours.YourIP != netip.MustParseAddr("127.0.0.2") || !ours.UploadOnly || ours.Reqq <= 0 {
		t.Fatalf("our extension handshake: p %d (listen %s), yourip %v, upload_only %v, reqq %d", ours.P, port, ours.YourIP, ours.UploadOnly, ours.Reqq)
	}
	a := waitAlert(ctx, t, s, "external_ip", func(a Alert) bool { _, ok := a.(ExternalIPAlert); return ok })
	if got := a.(ExternalIPAlert).ExternalAddress; got != netip.MustParseAddr("203.0.113.7") {
		t.Fatalf("external_ip %v", got)
	}
}
