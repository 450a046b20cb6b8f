package peerlist

import "net/netip"

// One connection per IP, as libtorrent without
// allow_multiple_connections_per_ip: several clients behind one address
// are rare, one client reached on several ports (or reconnecting before
// its old connection is gone) is common, and a second connection to it
// only duplicates requests. The list counts its connected entries per IP
// so that candidates and incoming connections can be checked in O(1).

// setConnected marks p connected or not, keeping the per-IP count.
func (l *List) setConnected(p *Peer, on bool) {
	if p.Connected == on {
		return
	}
	p.Connected = on
	ip := p.Addr.Addr()
	if on {
		if l.busy == nil {
			l.busy = map[netip.Addr]int{}
		}
		l.busy[ip]++
		return
	}
	if l.busy[ip]--; l.busy[ip] <= 0 {
		delete(l.busy, ip)
	}
}

// ipTaken: p may not be connected because another entry at its IP is, and
// the list allows one connection per IP.
func (l *List) ipTaken(p *Peer) bool {
	return !l.cfg.MultipleConnectionsPerIP && !p.Connected && l.busy[p.Addr.Addr()] > 0
}

// IPBusy reports whether a new connection with addr must not be made (or
// accepted): the list allows one connection per IP and addr's IP already
// has one (open or being opened) at any port.
func (l *List) IPBusy(addr netip.AddrPort) bool {
	return !l.cfg.MultipleConnectionsPerIP && l.busy[addr.Addr().Unmap()] > 0
}
