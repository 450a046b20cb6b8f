package pex

import (
	"net/netip"
	"time"
)

// Interval is how often a peer is sent a message (libtorrent: once a
// minute, the first soon after the extension handshake).
const Interval = time.Minute

// MaxAdded bounds the peers added in one message we send (the issue's
// 50; libtorrent sends up to 100). Peers left out are added the next
// minute.
const MaxAdded = 50

// Builder is the torrent's side (libtorrent's ut_pex_plugin): every
// Interval it diffs the peers it may tell of against those of the last
// message, and every peer past its first message is sent that one diff.
// Unlike libtorrent, a peer left out by MaxAdded is not then reported as
// dropped: it was never added.
type Builder struct {
	last time.Time
	told map[netip.AddrPort]bool // the peers added in a message and not dropped since
	diff []byte                  // the last diff, nil when it said nothing
}

// Update rebuilds the diff when Interval has passed since the last one;
// peers are the torrent's connected peers that may be told of (see
// Sendable). It reports whether it rebuilt.
func (b *Builder) Update(now time.Time, peers []Peer) bool {
	if !b.last.IsZero() && now.Sub(b.last) < Interval {
		return false
	}
	b.last = now
	if b.told == nil {
		b.told = make(map[netip.AddrPort]bool)
	}
	var m Message
	present := make(map[netip.AddrPort]bool, len(peers))
	for _, p := range peers {
		present[p.Addr] = true
		if !b.told[p.Addr] && len(m.Added) < MaxAdded {
			m.Added = append(m.Added, p)
			b.told[p.Addr] = true
		}
	}
	for ap := range b.told {
		if !present[ap] {
			m.Dropped = append(m.Dropped, ap)
			delete(b.told, ap)
		}
	}
	sortAddrs(m.Dropped) // a stable message: tests and traces read it
	b.diff = nil
	if len(m.Added) > 0 || len(m.Dropped) > 0 {
		b.diff = Encode(m)
	}
	return true
}

// Diff is the last diff, for a peer that had its first message; nil when
// there is nothing new.
func (b *Builder) Diff() []byte { return b.diff }

// Full is a peer's first message: up to MaxAdded of peers, except the
// peer itself (at to), nothing dropped.
func Full(peers []Peer, to netip.AddrPort) []byte {
	var m Message
	for _, p := range peers {
		if p.Addr != to && len(m.Added) < MaxAdded {
			m.Added = append(m.Added, p)
		}
	}
	if len(m.Added) == 0 {
		return nil
	}
	return Encode(m)
}

// Sendable says whether a connected peer may be told of (libtorrent's
// send_peer): one we connected to, or one that told us its listen port
// (then addr carries that port), and whose handshake is done.
func Sendable(outgoing, knowsListenPort, handshakeDone bool) bool {
	return handshakeDone && (outgoing || knowsListenPort)
}

// Outbound is one connection's sending state: its first message is the
// full list, then the torrent's diff every Interval.
type Outbound struct {
	sent time.Time // zero: nothing sent yet
}

// Due reports whether the peer is to be sent a message now, and whether
// it is its first (the full list).
func (o *Outbound) Due(now time.Time) (due, first bool) {
	if o.sent.IsZero() {
		return true, true
	}
	return now.Sub(o.sent) >= Interval, false
}

// Sent records a message sent (or one skipped for having nothing to say).
func (o *Outbound) Sent(now time.Time) { o.sent = now }
