package peeractor

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/pex"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// pexPeer starts a peer on a pipe in a bubble (info: the torrent's, nil
// for a magnet) and returns the parent recording what it says, the
// remote end, its messages and our extension handshake.
func pexPeer(t *testing.T, info *metainfo.Info) (*actor.ActorSystem, *actor.PID, *recordingParent, net.Conn, <-chan wire.Message, metadata.ExtHandshake) {
	t.Helper()
	var rp *recordingParent
	r := startPipeRig(t, func(local net.Conn, hs *wire.Handshake, ours [20]byte) actor.Actor {
		rp = &recordingParent{cfg: Config{Key: 3, PeerID: ours, Credit: actors.NewCredit(1 << 20), Conn: local, Handshake: hs,
			Info: info, Settings: settingsWith(t, map[string]any{"max_pex_peers": 2})}}
		return rp
	})
	h := r.extHandshake(t)
	return r.sys, r.parent, rp, r.remote, r.in, h
}

// A public torrent's peer offers ut_pex, hands the torrent the peers a
// message adds (within max_pex_peers, never the sender), sends what the
// torrent gives it with the remote's id, and ends a connection that
// floods it (7 messages in a minute), as libtorrent does.
func TestPexOverTheWire(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		info := &metainfo.Info{Name: "x", PieceLength: 16 << 10, Pieces: make([][20]byte, 1), TotalLength: 16 << 10}
		sys, parent, rp, remote, in, h := pexPeer(t, info)
		id, ok := h.ID(pex.ExtensionName)
		if !ok || id != utPexID {
			t.Fatalf("our handshake offers ut_pex as %d (%v)", id, ok)
		}
		write := func(b []byte) { go func() { _, _ = remote.Write(b) }() }
		write(wire.AppendMessage(nil, wire.Message{ID: wire.Extended, Payload: metadata.AppendExtHandshake(nil,
			metadata.ExtHandshake{M: map[string]uint8{pex.ExtensionName: 5}, P: 7000})}))
		eh := rp.wait(t, "PeerExtHandshake", func(m any) bool { _, ok := m.(*messages.PeerExtHandshake); return ok }).(*messages.PeerExtHandshake)
		if !eh.UTPex || eh.ListenPort != 7000 {
			t.Fatalf("handshake reported %+v", eh)
		}
		added := []pex.Peer{
			{Addr: netip.MustParseAddrPort("1.0.0.1:1")}, {Addr: netip.MustParseAddrPort("1.0.0.2:2")},
			{Addr: netip.MustParseAddrPort("1.0.0.3:3")},
		}
		body := pex.Encode(pex.Message{Added: added})
		write(wire.AppendMessage(nil, wire.Message{ID: wire.Extended, ExtendedID: utPexID, Payload: body}))
		pp := rp.wait(t, "PeerPEX", func(m any) bool { _, ok := m.(*messages.PeerPEX); return ok }).(*messages.PeerPEX)
		if len(pp.Added) != 2 || pp.Added[0] != added[0].Addr || pp.Key != 3 {
			t.Fatalf("PeerPEX %+v (max_pex_peers 2)", pp)
		}

		sys.Root.Send(parent, &messages.SendPEX{Payload: body})
		for m := range in {
			if m.ID == wire.Extended && m.ExtendedID == 5 {
				if string(m.Payload) != string(body) {
					t.Fatalf("sent %q", m.Payload)
				}
				break
			}
		}

		for range 6 { // 1 + 6: the 7th within a minute
			write(wire.AppendMessage(nil, wire.Message{ID: wire.Extended, ExtendedID: utPexID, Payload: pex.Encode(pex.Message{})}))
		}
		pc := rp.wait(t, "PeerClosed", func(m any) bool { _, ok := m.(*messages.PeerClosed); return ok }).(*messages.PeerClosed)
		if !pc.Protocol || !errors.Is(pc.Err, pex.ErrTooFrequent) {
			t.Fatalf("after a flood: %v (protocol %v)", pc.Err, pc.Protocol)
		}
	})
}

// A private torrent's peer offers no ut_pex, and a ut_pex message sent
// anyway is an unknown extension (BEP 27).
func TestNoPexForPrivateTorrents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		info := &metainfo.Info{Name: "x", PieceLength: 16 << 10, Pieces: make([][20]byte, 1), TotalLength: 16 << 10, Private: true}
		_, _, rp, remote, _, h := pexPeer(t, info)
		if _, ok := h.ID(pex.ExtensionName); ok {
			t.Fatal("a private torrent's handshake offers ut_pex")
		}
		go func() {
			_, _ = remote.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Extended, ExtendedID: utPexID, Payload: pex.Encode(pex.Message{})}))
		}()
		pc := rp.wait(t, "PeerClosed", func(m any) bool { _, ok := m.(*messages.PeerClosed); return ok }).(*messages.PeerClosed)
		if !errors.Is(pc.Err, ErrUnknownExtension) || !strings.Contains(pc.Err.Error(), "1") {
			t.Fatalf("ut_pex on a private torrent: %v", pc.Err)
		}
	})
}
