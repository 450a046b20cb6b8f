package peeractor

import (
	"sync"

	"github.com/actorrent/actorrent/internal/stats"
)

// peerGauges holds the connection's place in peer.num_tcp_peers or
// peer.num_utp_peers (by its transport), num_peers_half_open and
// num_peers_connected. The dial goroutine moves it (uTP falling back to
// TCP, half-open to connected) and the actor releases it when it stops,
// whichever comes last; a mutex orders them (a few calls a connection).
type peerGauges struct {
	c     *stats.Counters
	mu    sync.Mutex
	state int
	utp   bool // the transport counted: uTP, else TCP
}

const (
	gaugeNone = iota
	gaugeHalfOpen
	gaugeConnected
	gaugeReleased
)

// kind is the socket-type gauge the connection is counted in.
func (g *peerGauges) kind() stats.Index {
	if g.utp {
		return stats.PeerNumUTPPeers
	}
	return stats.PeerNumTCPPeers
}

// open: an outgoing connection is half-open until its connect completes;
// an accepted one is connected from the start (libtorrent counts an
// incoming peer_connection as connected when it is made). utp is the
// transport it is made (or tried first) over.
func (g *peerGauges) open(incoming, utp bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.utp = utp
	g.c.Inc(g.kind())
	if incoming {
		g.c.Inc(stats.PeerNumPeersConnected)
		g.state = gaugeConnected
		return
	}
	g.c.Inc(stats.PeerNumPeersHalfOpen)
	g.state = gaugeHalfOpen
}

// fellBackToTCP: the uTP connect failed and the connection is tried over
// TCP (libtorrent makes a new peer_connection with a TCP socket then).
func (g *peerGauges) fellBackToTCP() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.state == gaugeReleased || !g.utp {
		return
	}
	g.c.Add(stats.PeerNumUTPPeers, -1)
	g.utp = false
	g.c.Inc(stats.PeerNumTCPPeers)
}

// transportConnected: the outgoing connect completed.
func (g *peerGauges) transportConnected() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.state == gaugeHalfOpen {
		g.state = gaugeConnected
		g.c.Add(stats.PeerNumPeersHalfOpen, -1)
		g.c.Inc(stats.PeerNumPeersConnected)
	}
}

// overUTP reports whether the connection is (or is being tried) over uTP.
func (g *peerGauges) overUTP() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.utp
}

func (g *peerGauges) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch g.state {
	case gaugeHalfOpen:
		g.c.Add(stats.PeerNumPeersHalfOpen, -1)
		g.c.Add(g.kind(), -1)
	case gaugeConnected:
		g.c.Add(stats.PeerNumPeersConnected, -1)
		g.c.Add(g.kind(), -1)
	}
	g.state = gaugeReleased
}
