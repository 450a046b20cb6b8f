package peerlist

import "net/netip"

// entry is the list's entry for addr: its own, or, for an incoming
// connection whose peer told us its listen port, the listen address's.
func (l *List) entry(addr netip.AddrPort) *Peer {
	addr = normalise(addr)
	if to, ok := l.alias[addr]; ok {
		return l.peers[to]
	}
	return l.peers[addr]
}

// ListenPort records the listen port ("p" in its extension handshake) of
// a peer connected to us from conn, as libtorrent's update_peer_port: the
// list then knows the peer at its IP and that port, where we can connect
// to it again once this connection ends (and which resume data keeps),
// rather than at the connection's ephemeral port, which is dropped with
// the connection. An entry the list already had at that address (a
// tracker's, say) takes the connection over. conn goes on naming the peer
// in every call until Closed.
func (l *List) ListenPort(conn netip.AddrPort, port uint16) {
	conn = normalise(conn)
	p := l.peers[conn]
	if p == nil || p.Source != FromIncoming || port == 0 || port == conn.Port() {
		return // not an incoming connection's entry, or nothing to learn
	}
	to := netip.AddrPortFrom(conn.Addr(), port)
	if !valid(to) {
		return
	}
	if q := l.peers[to]; q != nil {
		// Known already: that entry is the peer, connected now.
		q.Source |= p.Source
		q.Trust, q.Failcount = min(q.Trust, p.Trust), 0
		q.Banned = q.Banned || p.Banned
		l.remove(p)
		l.setConnected(q, true)
		p = q
	} else {
		delete(l.peers, conn)
		p.Addr = to
		l.peers[to] = p
	}
	p.ListenPortKnown = true
	if l.alias == nil {
		l.alias = map[netip.AddrPort]netip.AddrPort{}
	}
	l.alias[conn] = to
}
