package peerlist

// Drop forgets every peer that is not banned and for which drop reports
// true, connected or not, and returns how many it forgot: a filter set
// while the torrent runs removes the peers it now blocks, as libtorrent's
// peer_list::apply_ip_filter and apply_port_filter do (the torrent closes
// their connections; Closed then finds nothing to update). Banned peers
// stay: a ban outlives any filter, and resume data keeps it.
func (l *List) Drop(drop func(Peer) bool) int {
	n := 0
	for _, p := range l.peers {
		if !p.Banned && drop(*p) {
			l.remove(p)
			n++
		}
	}
	return n
}
