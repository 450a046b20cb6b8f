package lsd

import (
	"net/netip"
	"time"
)

// Limiter decides which received announces are believed. An announce is
// multicast to every host of the LAN, sent three times, and repeated every
// few minutes; a host can also send as many as it likes. So:
//   - the same peer (address and port) announcing the same torrent is
//     taken once per Repeat (the resends and the round's repeats are not
//     news);
//   - one source address gets at most Burst announces taken at once and
//     one more every PerIP after that (a host that floods the group gets
//     no more of our connections than a quiet one);
//   - what it remembers is bounded (MaxEntries); when full and nothing has
//     expired, new announces are refused until something does.
type Limiter struct {
	Repeat     time.Duration
	Burst      int
	PerIP      time.Duration
	MaxEntries int

	seen  map[seenKey]time.Time  // when a peer's announce of a torrent was taken
	hosts map[netip.Addr]*bucket // per source address
	swept time.Time              // the last expire
}

func (l *Limiter) full() bool { return len(l.seen) >= l.MaxEntries || len(l.hosts) >= l.MaxEntries }

type seenKey struct {
	peer netip.AddrPort
	ih   InfoHash
}

// bucket is a token bucket: tokens at time at.
type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter returns a limiter with the defaults: a peer's torrent once a
// minute, 20 announces at once and then one a second from a host, 4096
// remembered announces.
func NewLimiter() *Limiter {
	return &Limiter{Repeat: time.Minute, Burst: 20, PerIP: time.Second, MaxEntries: 4096,
		seen: map[seenKey]time.Time{}, hosts: map[netip.Addr]*bucket{}}
}

// Accept reports whether peer's announce of ih, received at now, is taken.
func (l *Limiter) Accept(peer netip.AddrPort, ih InfoHash, now time.Time) bool {
	k := seenKey{peer: peer, ih: ih}
	if at, ok := l.seen[k]; ok && now.Sub(at) < l.Repeat {
		return false
	}
	if l.full() {
		// Sweeping is O(entries): at most once a second, so that a flood
		// while full costs a map lookup a packet.
		if now.Sub(l.swept) < time.Second {
			return false
		}
		l.expire(now)
		l.swept = now
		if l.full() {
			return false
		}
	}
	b := l.hosts[peer.Addr()]
	if b == nil {
		b = &bucket{tokens: float64(l.Burst), at: now}
		l.hosts[peer.Addr()] = b
	}
	b.refill(now, l.PerIP, l.Burst)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	l.seen[k] = now
	return true
}

// refill adds a token every per since the bucket's time, up to burst.
func (b *bucket) refill(now time.Time, per time.Duration, burst int) {
	if el := now.Sub(b.at); el > 0 && per > 0 {
		b.tokens = min(b.tokens+float64(el)/float64(per), float64(burst))
	}
	b.at = now
}

// expire forgets announces older than Repeat and hosts whose bucket is
// full again (they are as new).
func (l *Limiter) expire(now time.Time) {
	for k, at := range l.seen {
		if now.Sub(at) >= l.Repeat {
			delete(l.seen, k)
		}
	}
	for a, b := range l.hosts {
		b.refill(now, l.PerIP, l.Burst)
		if b.tokens >= float64(l.Burst) {
			delete(l.hosts, a)
		}
	}
}
