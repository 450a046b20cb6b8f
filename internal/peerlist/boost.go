package peerlist

// The connect boost is libtorrent's torrent_connect_boost: the first
// connection attempts of a torrent, after it was added and again after
// each pause, do not wait for the session's connection_speed, so a torrent
// that just got its first tracker reply has peers at once even while many
// others share the session's attempts a second.

// SetBoost gives the list n attempts that need not wait (the counter
// libtorrent resets when the torrent is created and when it pauses).
func (l *List) SetBoost(n int) { l.boost = max(n, 0) }

// Boost is how many boosted attempts are left.
func (l *List) Boost() int { return l.boost }

// UseBoost spends n boosted attempts (at most what is left).
func (l *List) UseBoost(n int) { l.boost = max(l.boost-max(n, 0), 0) }
