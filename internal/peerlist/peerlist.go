// Package peerlist is a torrent's list of known peers, as libtorrent's
// peer_list (its "policy"): every address a tracker, resume data, an
// incoming connection or the user gave us, whether it is connected,
// how often connecting to it failed and when we may try it again, whether
// it is a seed and whether it is banned. The torrent asks it for connect
// candidates; it holds no sockets and reads no clock (time is a
// parameter), so its rules are tested on their own.
package peerlist

import (
	"net/netip"
	"slices"
	"time"
)

// Source says where we learnt of a peer; the values are libtorrent's
// peer_source_flags.
type Source uint8

const (
	FromTracker  Source = 1 << iota // tracker
	FromDHT                         // dht
	FromPEX                         // pex
	FromLSD                         // lsd
	FromResume                      // resume_data
	FromIncoming                    // incoming
)

// Config are the limits of one list (libtorrent setting names).
type Config struct {
	// MaxSize bounds the known peers (max_peerlist_size); 0: no limit.
	MaxSize int
	// MaxFailcount is how many failed connections a peer gets before it
	// is dropped (max_failcount). Default 3.
	MaxFailcount int
	// MinReconnect is the wait after a failure, multiplied by the fail
	// count (min_reconnect_time). Default 60 s.
	MinReconnect time.Duration
	// MultipleConnectionsPerIP lets several connections to one IP be open
	// at once (allow_multiple_connections_per_ip). Off, as libtorrent's
	// default: a peer at an IP that already has a connection is no
	// candidate, and an incoming one from it is refused (ip.go).
	MultipleConnectionsPerIP bool
}

// Peer is what the list knows of one address.
type Peer struct {
	Addr      netip.AddrPort
	Source    Source // every source that named it
	Failcount int
	Seed      bool
	Banned    bool
	// Trust rises by one for each piece the peer helped with that passed
	// and falls by two for each that failed, within [minTrust, maxTrust].
	Trust int
	// Connected: a connection to it is open or being opened.
	Connected bool
	// ListenPortKnown: it connected to us and told us its listen port
	// (ListenPort), so Addr is one we can connect to, not the incoming
	// connection's ephemeral port.
	ListenPortKnown bool
	LastAttempt     time.Time // last outgoing connection attempt
	// NoUTP: a uTP connection to it failed to connect; connect over TCP
	// (libtorrent's supports_utp, inverted so that the zero value tries
	// uTP first as libtorrent does).
	NoUTP bool
}

// List is not safe for concurrent use; its owner (the torrent actor)
// serialises calls.
type List struct {
	cfg   Config
	peers map[netip.AddrPort]*Peer // nil until the first peer
	seeds int
	// busy counts the connected entries per IP (ip.go); made with the
	// first connection.
	busy map[netip.Addr]int
	// alias maps an incoming connection's address to its peer's listen
	// address while the connection lasts (listen.go); made with the first.
	alias map[netip.AddrPort]netip.AddrPort
	// boost: attempts left that skip connection_speed (boost.go).
	boost int
}

// New makes an empty list.
func New(cfg Config) *List {
	if cfg.MaxFailcount <= 0 {
		cfg.MaxFailcount = 3
	}
	if cfg.MinReconnect <= 0 {
		cfg.MinReconnect = 60 * time.Second
	}
	return &List{cfg: cfg} // peers is made with the first one (put)
}

// put records p at addr, making the map with the first peer: a torrent
// that never hears of a peer (100k paused ones) costs no map.
func (l *List) put(addr netip.AddrPort, p *Peer) {
	if l.peers == nil {
		l.peers = map[netip.AddrPort]*Peer{}
	}
	l.peers[addr] = p
}

// normalise makes an IPv4-mapped IPv6 address plain IPv4, so one peer has
// one key whichever way it was written.
func normalise(a netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}

// valid: an address a peer can be at (not port 0, not unspecified, not
// multicast or broadcast).
func valid(a netip.AddrPort) bool {
	ad := a.Addr()
	return a.Port() != 0 && ad.IsValid() && !ad.IsUnspecified() && !ad.IsMulticast() &&
		ad != netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

// Add records a peer learnt from src. It reports false when the address
// is not usable, banned, or the list is full of peers it may not drop.
func (l *List) Add(addr netip.AddrPort, src Source) bool {
	addr = normalise(addr)
	if !valid(addr) {
		return false
	}
	if p := l.peers[addr]; p != nil {
		p.Source |= src
		return !p.Banned
	}
	if l.cfg.MaxSize > 0 && len(l.peers) >= l.cfg.MaxSize && !l.evictOne() {
		return false
	}
	l.put(addr, &Peer{Addr: addr, Source: src})
	return true
}

// evictOne drops one peer to make room: not connected and not banned,
// the most failed first, else a seed (a seed we could not use
// yet is the cheapest to learn again), else any.
func (l *List) evictOne() bool {
	var victim *Peer
	rank := func(p *Peer) int { return p.Failcount*2 + b2i(p.Seed) }
	for _, p := range l.peers {
		if p.Connected || p.Banned {
			continue
		}
		if victim == nil || rank(p) > rank(victim) || (rank(p) == rank(victim) && p.Addr.Compare(victim.Addr) < 0) {
			victim = p
		}
	}
	if victim == nil {
		return false
	}
	l.remove(victim)
	return true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (l *List) remove(p *Peer) {
	l.setConnected(p, false)
	if p.Seed {
		l.seeds--
	}
	delete(l.peers, p.Addr)
}

// Candidates returns up to n peers to connect to now and marks them
// connected (LastAttempt = now): not connected, not banned, past their
// reconnect wait; never-failed peers first, then the ones tried longest
// ago. skipSeeds leaves seeds out (a seed has no use for them).
func (l *List) Candidates(now time.Time, n int, skipSeeds bool) []netip.AddrPort {
	if n <= 0 {
		return nil
	}
	var cs []*Peer
	for _, p := range l.peers {
		if l.candidate(p, now, skipSeeds) {
			cs = append(cs, p)
		}
	}
	slices.SortFunc(cs, func(a, b *Peer) int {
		if a.Failcount != b.Failcount {
			return a.Failcount - b.Failcount
		}
		if c := a.LastAttempt.Compare(b.LastAttempt); c != 0 {
			return c
		}
		return a.Addr.Compare(b.Addr)
	})
	if len(cs) > n {
		cs = cs[:n]
	}
	out := make([]netip.AddrPort, 0, len(cs))
	for _, p := range cs {
		if l.ipTaken(p) {
			continue // another port of an IP chosen just before
		}
		l.setConnected(p, true)
		p.LastAttempt = now
		out = append(out, p.Addr)
	}
	return out
}

// ConnectCandidates counts the peers Candidates would offer at now
// (connect_candidates).
func (l *List) ConnectCandidates(now time.Time, skipSeeds bool) int {
	n := 0
	for _, p := range l.peers {
		if l.candidate(p, now, skipSeeds) {
			n++
		}
	}
	return n
}

// candidate: p may be connected to at now.
func (l *List) candidate(p *Peer, now time.Time, skipSeeds bool) bool {
	if p.Connected || p.Banned || (skipSeeds && p.Seed) || l.ipTaken(p) {
		return false
	}
	return p.Failcount == 0 || !now.Before(p.LastAttempt.Add(time.Duration(p.Failcount)*l.cfg.MinReconnect))
}

// Incoming records a connection a peer opened to us; false when it is
// banned, its IP already has a connection and may have only one, or the
// list is full: close it.
func (l *List) Incoming(addr netip.AddrPort) bool {
	if l.IPBusy(addr) || !l.Add(addr, FromIncoming) {
		return false
	}
	l.setConnected(l.entry(addr), true)
	return true
}

// Connecting marks an outgoing connection the list did not choose (a
// user's connect_peer), so that Candidates does not open a second one.
func (l *List) Connecting(addr netip.AddrPort, now time.Time) {
	if p := l.entry(addr); p != nil {
		l.setConnected(p, true)
		p.LastAttempt = now
	}
}

// Handshaken: the connection works; earlier failures are forgiven.
func (l *List) Handshaken(addr netip.AddrPort) {
	if p := l.entry(addr); p != nil {
		p.Failcount = 0
	}
}

// Closed: the connection to addr ended; failed says it never worked or
// ended in an error. A peer that failed MaxFailcount times is dropped, and
// so is one known only from its incoming connection (its port is an
// ephemeral one, nothing to connect back to).
func (l *List) Closed(addr netip.AddrPort, failed bool) {
	p := l.entry(addr)
	if p == nil {
		return
	}
	l.setConnected(p, false)
	delete(l.alias, normalise(addr))
	if p.Source == FromIncoming && !p.ListenPortKnown && !p.Banned {
		l.remove(p)
		return
	}
	if !failed {
		return
	}
	p.Failcount++
	if p.Failcount >= l.cfg.MaxFailcount && !p.Banned {
		l.remove(p)
	}
}

// SetSeed records that a peer has every piece (or no longer has).
func (l *List) SetSeed(addr netip.AddrPort, seed bool) {
	p := l.entry(addr)
	if p == nil || p.Seed == seed {
		return
	}
	p.Seed = seed
	if seed {
		l.seeds++
	} else {
		l.seeds--
	}
}

// Ban keeps addr in the list, never to be connected again nor accepted.
func (l *List) Ban(addr netip.AddrPort) {
	p := l.entry(addr)
	addr = normalise(addr)
	if p == nil {
		if !valid(addr) {
			return
		}
		p = &Peer{Addr: addr}
		l.put(addr, p)
	}
	p.Banned = true
}

// Banned reports whether addr is banned.
func (l *List) Banned(addr netip.AddrPort) bool {
	p := l.entry(addr)
	return p != nil && p.Banned
}

// Len is list_peers: the peers known, banned ones not counted.
func (l *List) Len() int {
	n := 0
	for _, p := range l.peers {
		if !p.Banned {
			n++
		}
	}
	return n
}

// Seeds is list_seeds: the known peers that are seeds.
func (l *List) Seeds() int { return l.seeds }

// Peers returns a copy of every entry, in address order (resume data,
// tests).
func (l *List) Peers() []Peer {
	out := make([]Peer, 0, len(l.peers))
	for _, p := range l.peers {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Peer) int { return a.Addr.Compare(b.Addr) })
	return out
}

// Disconnected marks every peer not connected (the torrent paused or
// failed and closed them all).
func (l *List) Disconnected() {
	for _, p := range l.peers {
		p.Connected = false
	}
	clear(l.busy)
	clear(l.alias)
}

// Trust points, as libtorrent's: a failed piece costs more than a good one
// earns, so a peer that sends bad data often is banned even between good
// pieces.
const (
	minTrust = -7
	maxTrust = 8
)

// PiecePassed: a piece addr sent blocks of passed its hash check.
func (l *List) PiecePassed(addr netip.AddrPort) {
	if p := l.entry(addr); p != nil {
		p.Trust = min(p.Trust+1, maxTrust)
	}
}

// HashFailed: a piece addr sent blocks of failed its hash check; alone
// says no other peer sent any of it. It reports whether the peer is
// banned now: when it alone sent the piece (the bad data is certainly
// its), or when its trust ran out.
func (l *List) HashFailed(addr netip.AddrPort, alone bool) bool {
	p := l.entry(addr)
	if p == nil || p.Banned {
		return false
	}
	p.Trust = max(p.Trust-2, minTrust)
	if alone || p.Trust <= minTrust {
		p.Banned = true
		return true
	}
	return false
}

// Lookup returns the entry of addr, if the list has one.
func (l *List) Lookup(addr netip.AddrPort) (Peer, bool) {
	p := l.entry(addr)
	if p == nil {
		return Peer{}, false
	}
	return *p, true
}
