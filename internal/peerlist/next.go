package peerlist

import "time"

// NextCandidate is when the next peer becomes a connect candidate: now
// when one is already, the end of the earliest reconnect wait otherwise,
// zero when no peer ever will (the list is empty, or every peer is
// connected, banned, or a seed skipped). A torrent with nothing else to
// do arms one timer for it instead of asking every second.
func (l *List) NextCandidate(now time.Time, skipSeeds bool) time.Time {
	var next time.Time
	for _, p := range l.peers {
		if p.Connected || p.Banned || (skipSeeds && p.Seed) || l.ipTaken(p) {
			continue
		}
		at := now
		if p.Failcount > 0 {
			at = p.LastAttempt.Add(time.Duration(p.Failcount) * l.cfg.MinReconnect)
		}
		if !at.After(now) {
			return now
		}
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	return next
}
