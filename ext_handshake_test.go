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
// extension bit set, sends theirs, and returns our extension handshake.
func extPeer(t *testing.T, addr, local string, ti *TorrentInfo, theirs metadata.ExtHandshake) metadata.ExtHandshake {
	t.Helper()
	var hs wire.Handshake
	hs.Reserved[wire.ReservedExtensionByte] |= wire.ReservedExtensionBit
	h := dialHostileWith(t, addr, local, hs, ti, nil)
	if err := h.send(wire.Message{ID: wire.Extended, Payload: metadata.AppendExtHandshake(nil, theirs)}); err != nil {
		t.Fatal(err)
	}
	m, err := h.readUntil(func(m wire.Message) bool {
		return !m.KeepAlive && m.ID == wire.Extended && m.ExtendedID == metadata.HandshakeID
	})
	if err != nil {
		t.Fatalf("reading our extension handshake: %v", err)
	}
	ours, err := metadata.ParseExtHandshake(m.Payload)
	if err != nil {
		t.Fatal(err)
	}
	return ours
}

// Our extension handshake tells a peer our listen port (p), how we see it
// (yourip), from a seed, upload_only (BEP 21), and as reqq our
// max_allowed_in_request_queue; what peers say they see
// of us decides our external address: external_ip on the first vote, as
// libtorrent's ip_voter.
func TestExtensionHandshakeAndExternalIP(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, src := oneFileTorrent(t)
	set := testSettings()
	set.SetInt(AlertMask, int(CategoryError|CategoryStatus))
	set.SetInt(MaxAllowedInRequestQueue, 123) // told as reqq
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
	if fmt.Sprint(ours.P) != port || ours.YourIP != netip.MustParseAddr("127.0.0.2") || !ours.UploadOnly || ours.Reqq != 123 {
		t.Fatalf("our extension handshake: p %d (listen %s), yourip %v, upload_only %v, reqq %d", ours.P, port, ours.YourIP, ours.UploadOnly, ours.Reqq)
	}
	a := waitAlert(ctx, t, s, "external_ip", func(a Alert) bool { _, ok := a.(ExternalIPAlert); return ok })
	if got := a.(ExternalIPAlert).ExternalAddress; got != netip.MustParseAddr("203.0.113.7") {
		t.Fatalf("external_ip %v", got)
	}
}
