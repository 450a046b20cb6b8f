package actors

import (
	"sync/atomic"

	"github.com/actorrent/actorrent/internal/ratelimit"
)

// Activity counts the session's connected peers that move data, by
// transport (TCP, uTP) and direction: what libtorrent's
// mixed_mode_algorithm peer_proportional counts each second (a peer with
// requests outstanding downloads; one with requests of its to serve
// uploads). Peers update it from their own goroutines, each through an
// ActivityHolder; the session reads it. A nil Activity counts nothing.
type Activity struct {
	n [2][2]atomic.Int64 // [uTP][ratelimit.Direction]
}

func NewActivity() *Activity { return &Activity{} }

// Count is how many peers of the transport move data in direction d.
func (a *Activity) Count(utp bool, d ratelimit.Direction) int64 {
	if a == nil {
		return 0
	}
	return a.n[b2i(utp)][d].Load()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ActivityHolder is one peer's place in an Activity: what it counts in,
// given back by Release. Used by one goroutine (the peer actor's).
type ActivityHolder struct {
	a    *Activity
	utp  bool
	held [2]bool
}

// NewActivityHolder is a peer's holder for its transport.
func NewActivityHolder(a *Activity, utp bool) ActivityHolder {
	return ActivityHolder{a: a, utp: utp}
}

// Set says whether the peer moves data in direction d now.
func (h *ActivityHolder) Set(d ratelimit.Direction, on bool) {
	if h.a == nil || h.held[d] == on {
		return
	}
	h.held[d] = on
	if on {
		h.a.n[b2i(h.utp)][d].Add(1)
	} else {
		h.a.n[b2i(h.utp)][d].Add(-1)
	}
}

// Release gives back what the peer counts in (it stops).
func (h *ActivityHolder) Release() {
	h.Set(ratelimit.Upload, false)
	h.Set(ratelimit.Download, false)
}
