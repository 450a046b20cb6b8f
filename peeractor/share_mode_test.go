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

// statsParent spawns the peer and keeps the last PeerStats it reports.
type statsParent struct {
	cfg  Config
	mu   sync.Mutex
	last *messages.PeerStats
}

func (r *statsParent) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		c.Spawn(New(r.cfg))
	case *messages.PeerStats:
		r.mu.Lock()
		r.last = m
		r.mu.Unlock()
	}
}

func (r *statsParent) stats() messages.PeerStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		return messages.PeerStats{}
	}
	return *r.last
}

// TestShareModeExtension: with support_share_mode our extension handshake
// offers share_mode (libtorrent's id 8) and says share_mode 1 for a
// torrent in share mode; the remote's share_mode, from its handshake and
// then its share_mode message, shows in the stats the torrent decides
// with. Without support_share_mode nothing is offered and the remote's is
// not heard. In a synctest bubble: the stats' second is virtual.
func TestShareModeExtension(t *testing.T) {
	for _, support := range []bool{true, false} {
		t.Run(map[bool]string{true: "supported", false: "not supported"}[support], func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { testShareModeExtension(t, support) })
		})
	}
}

func testShareModeExtension(t *testing.T, support bool) {
	info := &metainfo.Info{Name: "x", PieceLength: 16 << 10, Pieces: make([][20]byte, 4), TotalLength: 64 << 10}
	var rp *statsParent
	r := startPipeRig(t, func(local net.Conn, hs *wire.Handshake, ours [20]byte) actor.Actor {
		rp = &statsParent{cfg: Config{Key: 3, PeerID: ours, Credit: actors.NewCredit(1 << 20), Conn: local, Handshake: hs,
			Info: info, ShareMode: true, Settings: settingsWith(t, map[string]any{"support_share_mode": support})}}
		return rp
	})
	remote := r.remote
	h := r.extHandshake(t)
	id, offered := h.ID("share_mode")
	if offered != support || h.ShareMode != support || (support && id != 8) {
		t.Fatalf("our handshake: share_mode id %d offered %v, share_mode %v; want offered and said %v", id, offered, h.ShareMode, support)
	}

	send := func(m wire.Message) {
		go func() { _, _ = remote.Write(wire.AppendMessage(nil, m)) }()
	}
	send(wire.Message{ID: wire.Extended, ExtendedID: metadata.HandshakeID,
		Payload: metadata.AppendExtHandshake(nil, metadata.ExtHandshake{M: map[string]uint8{"share_mode": 8}, ShareMode: true})})
	time.Sleep(2 * time.Second) // two stats reports (virtual time)
	if got := rp.stats().ShareMode; got != support {
		t.Fatalf("after the remote's handshake: stats share mode %v, want %v", got, support)
	}
	if !support {
		return // a share_mode message would be an extension we did not offer
	}
	send(wire.Message{ID: wire.Extended, ExtendedID: 8, Payload: []byte{0}})
	time.Sleep(2 * time.Second)
	if rp.stats().ShareMode {
		t.Fatal("the remote left share mode; the stats still say it is in it")
	}
}
