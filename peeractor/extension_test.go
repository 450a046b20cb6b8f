package peeractor

import (
	"net"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// recordingParent spawns the peer, records everything it says, and
// forwards what the test sends it to the peer.
type recordingParent struct {
	cfg   Config
	child *actor.PID
	mu    sync.Mutex
	msgs  []any
}

func (r *recordingParent) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		r.child = c.Spawn(New(r.cfg))
	case *messages.SetTorrentInfo, *messages.RequestMetadata, *messages.SendPEX:
		c.Send(r.child, m)
	case *messages.PeerConnected, *messages.PeerClosed, *messages.PeerBitfield, *messages.PeerHave,
		*messages.PeerExtHandshake, *messages.PeerMetadata, *messages.PeerPEX, *messages.PeerUTPFailed:
		r.mu.Lock()
		r.msgs = append(r.msgs, m)
		r.mu.Unlock()
	}
}

func (r *recordingParent) wait(t *testing.T, what string, ok func(any) bool) any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		for _, m := range r.msgs {
			if ok(m) {
				r.mu.Unlock()
				return m
			}
		}
		r.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the peer never sent %s", what)
	return nil
}

// TestPeerWithoutInfoKeepsBitfieldUntilTold: a peer of a torrent still
// fetching its metadata keeps the remote's bitfield and HAVEs raw, reports
// its extension handshake, forwards ut_metadata data, and applies the
// bitfield once SetTorrentInfo says how many pieces there are. It runs in
// a synctest bubble: its waits are in virtual time, so a busy machine
// cannot make them run out.
func TestPeerWithoutInfoKeepsBitfieldUntilTold(t *testing.T) {
	synctest.Test(t, testPeerWithoutInfoKeepsBitfieldUntilTold)
}

func testPeerWithoutInfoKeepsBitfieldUntilTold(t *testing.T) {
	var rp *recordingParent
	r := startPipeRig(t, func(local net.Conn, hs *wire.Handshake, ours [20]byte) actor.Actor {
		rp = &recordingParent{cfg: Config{Key: 7, PeerID: ours, Credit: actors.NewCredit(1 << 20), Conn: local, Handshake: hs,
			Settings: settingsWith(t, map[string]any{"user_agent": "ua-test/3"})}}
		return rp
	})
	if !r.sent.SupportsExtended() {
		t.Fatal("our handshake lacks the extension bit")
	}
	remote, in, sys, parent := r.remote, r.in, r.sys, r.parent
	next := func(ok func(wire.Message) bool) wire.Message {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case m, open := <-in:
				if !open {
					t.Fatal("connection closed")
				}
				if ok(m) {
					return m
				}
			case <-timeout:
				t.Fatal("timed out reading from the peer")
			}
		}
	}
	eh := next(func(m wire.Message) bool { return m.ID == wire.Extended && m.ExtendedID == 0 })
	h, err := metadata.ParseExtHandshake(eh.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := h.ID(metadata.ExtUTMetadata); id != metadata.UTMetadataID || h.MetadataSize != 0 {
		t.Fatalf("our ext handshake %+v", h)
	}
	if h.V != "ua-test/3" {
		t.Fatalf("our ext handshake's v is %q, not user_agent", h.V)
	}
	theirHS := metadata.AppendExtHandshake(nil, metadata.ExtHandshake{M: map[string]uint8{metadata.ExtUTMetadata: 9}, MetadataSize: 100})
	data, _ := metadata.AppendMessage(nil, metadata.Message{Type: metadata.MsgData, Piece: 0, TotalSize: 100, Data: make([]byte, 100)})
	var b []byte
	b = wire.AppendMessage(b, wire.Message{ID: wire.Extended, ExtendedID: 0, Payload: theirHS})
	b = wire.AppendMessage(b, wire.Message{ID: wire.BitfieldMsg, Bitfield: []byte{0xa0}}) // pieces 0 and 2 of 4
	b = wire.AppendHave(b, 3)
	b = wire.AppendMessage(b, wire.Message{ID: wire.Extended, ExtendedID: metadata.UTMetadataID, Payload: data})
	go func() { _, _ = remote.Write(b) }()

	ph := rp.wait(t, "PeerExtHandshake", func(m any) bool { _, ok := m.(*messages.PeerExtHandshake); return ok }).(*messages.PeerExtHandshake)
	if !ph.UTMetadata || ph.MetadataSize != 100 || ph.Key != 7 {
		t.Fatalf("ext handshake %+v", ph)
	}
	pm := rp.wait(t, "PeerMetadata", func(m any) bool { _, ok := m.(*messages.PeerMetadata); return ok }).(*messages.PeerMetadata)
	if pm.Reject || pm.Piece != 0 || len(pm.Data) != 100 {
		t.Fatalf("metadata %+v", pm)
	}
	rp.mu.Lock()
	for _, m := range rp.msgs {
		switch m.(type) {
		case *messages.PeerBitfield, *messages.PeerHave:
			t.Errorf("%T before the info is known", m)
		}
	}
	rp.mu.Unlock()

	sys.Root.Send(parent, &messages.RequestMetadata{Piece: 0})
	rq := next(func(m wire.Message) bool { return m.ID == wire.Extended && m.ExtendedID == 9 })
	if req, err := metadata.ParseMessage(rq.Payload); err != nil || req.Type != metadata.MsgRequest || req.Piece != 0 {
		t.Fatalf("request %+v, %v", req, err)
	}

	info := &metainfo.MetaInfo{Info: metainfo.Info{Name: "x", PieceLength: 16 << 10, Pieces: make([][20]byte, 4), TotalLength: 64 << 10}, InfoBytes: []byte("d4:name1:xe")}
	sys.Root.Send(parent, &messages.SetTorrentInfo{Meta: info, Have: []int{1}})
	bf := rp.wait(t, "PeerBitfield", func(m any) bool { _, ok := m.(*messages.PeerBitfield); return ok }).(*messages.PeerBitfield)
	if bf.Bitfield.Len() != 4 || !bf.Bitfield.Has(0) || bf.Bitfield.Has(1) || !bf.Bitfield.Has(2) {
		t.Fatalf("bitfield %v", bf.Bitfield.Indices())
	}
	rp.wait(t, "PeerHave 3", func(m any) bool { h, ok := m.(*messages.PeerHave); return ok && h.Piece == 3 })
	have := next(func(m wire.Message) bool { return m.ID == wire.Have })
	if have.Index != 1 {
		t.Fatalf("HAVE %d, want 1", have.Index)
	}
	// Now we serve the metadata.
	req, _ := metadata.AppendMessage(nil, metadata.Message{Type: metadata.MsgRequest, Piece: 0})
	go func() {
		_, _ = remote.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Extended, ExtendedID: metadata.UTMetadataID, Payload: req}))
	}()
	dm := next(func(m wire.Message) bool { return m.ID == wire.Extended && m.ExtendedID == 9 })
	if d, err := metadata.ParseMessage(dm.Payload); err != nil || d.Type != metadata.MsgData || string(d.Data) != "d4:name1:xe" {
		t.Fatalf("served %+v, %v", d, err)
	}
}
