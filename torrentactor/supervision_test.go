package torrentactor

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/peeractor"
	"github.com/asynkron/protoactor-go/actor"
)

// A peer actor that panics is stopped (supervisor.PeerStrategy), reported
// as peer_error, forgotten by its torrent, and the download completes from
// the other peer.
func TestPeerPanicIsStoppedAndDownloadGoesOn(t *testing.T) {
	r := newRig(t)
	src, dst := t.TempDir(), t.TempDir()
	meta := makeMeta(t, src, "f.bin", 4<<20+1234, 64<<10)
	// Two connections between the same two torrents on 127.0.0.1.
	multi := withSettings(map[string]any{"allow_multiple_connections_per_ip": true})
	seeder := r.torrentWith(Config{Meta: meta, SavePath: src, Flags: messages.FlagSeedMode, Settings: multi}, 1)
	addr1, addr2 := r.listen(seeder), r.listen(seeder)
	// A torrent refuses connections until it has checked its files, and a
	// refused peer is tried again only after min_reconnect_time.
	r.waitStatus(seeder, "seeding", func(s *messages.TorrentStatus) bool { return s.IsSeeding })

	peerProps := func(pc any) *actor.Props {
		cfg := pc.(peeractor.Config)
		p := peeractor.New(cfg)
		if cfg.Key == 1 {
			// The first HAVE we send it means the download is under way.
			p.Configure(actor.WithReceiverMiddleware(panicOn(func(m any) bool {
				_, ok := m.(*messages.HavePiece)
				return ok
			})))
		}
		return p
	}
	leecher := r.torrentWith(Config{Meta: meta, SavePath: dst, PeerProps: peerProps, Settings: multi}, 2)
	r.sys.Root.Send(leecher, &messages.ConnectPeer{Addr: addr1})
	// The panicking peer must be connected while pieces pass (on a busy
	// machine the other one could otherwise finish the download first).
	r.waitStatus(leecher, "the first peer connected", func(s *messages.TorrentStatus) bool {
		return s.NumPeers >= 1 || s.NumPieces >= 1 // connected, or already through its first piece (and panic)
	})
	r.sys.Root.Send(leecher, &messages.ConnectPeer{Addr: addr2})

	r.sink.waitAlert(t, "peer_error for the panicked peer", func(a messages.Alert) bool {
		pe, ok := a.(*messages.PeerErrorAlert)
		return ok && errors.Is(pe.Error, ErrPeerActorFailed)
	})
	if st := r.status(leecher); st.NumPeers > 1 || st.NumConnections > 1 {
		t.Fatalf("after the panic: %d peers, %d connections; the failed peer must be gone", st.NumPeers, st.NumConnections)
	}
	st := r.waitStatus(leecher, "finished", func(s *messages.TorrentStatus) bool { return s.IsFinished })
	if st.NumPieces != meta.Info.NumPieces() || st.Error != "" {
		t.Fatalf("finished with %d/%d pieces, error %q", st.NumPieces, meta.Info.NumPieces(), st.Error)
	}
	if err := sameFile(filepath.Join(src, "f.bin"), filepath.Join(dst, "f.bin")); err != nil {
		t.Fatal(err)
	}
}

// closingPeer stands in for a peer actor that breaks off at once with a
// protocol error, as a hostile peer's actor does.
type closingPeer struct {
	key messages.PeerKey
	err error
}

func (p *closingPeer) Receive(c actor.Context) {
	if _, ok := c.Message().(*actor.Started); ok {
		c.Send(c.Parent(), &messages.PeerClosed{Key: p.key, Addr: "192.0.2.1:1", Err: p.err, Protocol: true})
		c.Stop(c.Self())
	}
}

var errHostile = errors.New("test: hostile peer")

// Terminated is a system message and overtakes user messages already in
// the torrent's mailbox; a peer's PeerClosed must still produce its
// peer_error alert when the torrent is busy.
func TestPeerErrorSurvivesTerminatedOvertaking(t *testing.T) {
	r := newRig(t)
	src, dst := t.TempDir(), t.TempDir()
	meta := makeMeta(t, src, "f.bin", 256<<10, 64<<10)
	const rounds = 5
	peerProps := func(pc any) *actor.Props {
		key := pc.(peeractor.Config).Key
		return actor.PropsFromProducer(func() actor.Actor { return &closingPeer{key: key, err: errHostile} })
	}
	// Its peers are ports of one address.
	multi := withSettings(map[string]any{"allow_multiple_connections_per_ip": true})
	leecher := r.torrentWith(Config{Meta: meta, SavePath: dst, PeerProps: peerProps, Settings: multi}, 2)
	r.waitStatus(leecher, "downloading", func(s *messages.TorrentStatus) bool { return s.State == messages.StateDownloading })
	for i := range rounds {
		r.sys.Root.Send(leecher, &messages.ConnectPeer{Addr: "192.0.2.1:" + string(rune('1'+i))})
		for range 5000 { // keep the torrent's mailbox busy
			r.sys.Root.Send(leecher, &messages.PeerStats{Key: 1 << 40})
		}
	}
	r.status(leecher) // the backlog is processed
	count := func() int {
		r.sink.mu.Lock()
		defer r.sink.mu.Unlock()
		n := 0
		for _, a := range r.sink.alerts {
			if pe, ok := a.(*messages.PeerErrorAlert); ok && errors.Is(pe.Error, errHostile) {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(5 * time.Second)
	for count() < rounds && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	if n := count(); n != rounds {
		t.Fatalf("%d peer_error alerts for %d peers that closed with a protocol error", n, rounds)
	}
	if st := r.status(leecher); st.NumConnections != 0 {
		t.Fatalf("%d connections left after every peer stopped", st.NumConnections)
	}
}
