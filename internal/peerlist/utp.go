package peerlist

import "net/netip"

// NoUTP records that a uTP connection to addr failed to connect, so the
// next outgoing connection to it goes over TCP at once (libtorrent clears
// torrent_peer::supports_utp on such a failure and never sets it back).
// An address the list does not hold is ignored.
func (l *List) NoUTP(addr netip.AddrPort) {
	if p := l.entry(addr); p != nil {
		p.NoUTP = true
	}
}
