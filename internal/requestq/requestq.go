// Package requestq paces the download requests of one peer connection as
// libtorrent's peer_connection does: how many requests to keep outstanding
// (slow start, then request_queue_time seconds of the peer's rate, one for
// a snubbed peer, within max_out_request_queue and the peer's reqq), when
// the peer is snubbed (no block for piece_timeout, or the awaited block
// later than the request timeout learned from the peer's own answers) and
// unsnubbed (a block in time), and when one of its requests times out.
//
// It is pure: the caller passes the time and the connection's counts and
// applies the decisions (alerts, requests handed back to the picker).
package requestq

import "time"

// Limits are the settings that pace a peer's requests.
type Limits struct {
	QueueTime      time.Duration // request_queue_time
	MaxOut         int           // max_out_request_queue
	RequestTimeout time.Duration // request_timeout: the learned timeout's ceiling
	PieceTimeout   time.Duration // piece_timeout
	BlockSize      int
}

const (
	// MinDepth is libtorrent's min_request_queue: the fewest requests an
	// unsnubbed peer is given.
	MinDepth = 2
	// initialDepth is the depth slow start begins with (libtorrent's).
	initialDepth = 4
	// slowStartSlack: slow start ends once a second's payload is no more
	// than this above the previous second's (libtorrent's 5000 bytes).
	slowStartSlack = 5000
	// minTimeout is the shortest learned request timeout: the check runs
	// once a second, so less would time out requests at once.
	minTimeout = 2 * time.Second
)

// State is one connection's request pacing. The zero value is not ready:
// use New.
type State struct {
	depth     int
	slowStart bool
	snubbed   bool
	reqq      int // the peer's "reqq" (0: it gave none)
	// requested is when the wait for the next block began: the first
	// request into an empty queue, or the last block received with more
	// outstanding (libtorrent's m_requested).
	requested time.Time
	// lastPiece is when a block last arrived or requests last went out
	// (libtorrent's m_last_piece).
	lastPiece time.Time
	// prevPayload is the payload of the previous second (slow start).
	prevPayload int64
	times       sliding // how long the peer took for each block
}

// New is the state of a new connection: in slow start.
func New(l Limits) State {
	s := State{depth: initialDepth, slowStart: true}
	s.clamp(l)
	return s
}

// Depth is how many requests the peer should have outstanding.
func (s *State) Depth() int { return s.depth }

// Snubbed reports whether the peer is snubbed.
func (s *State) Snubbed() bool { return s.snubbed }

// SlowStart reports whether the depth still grows a request per block.
func (s *State) SlowStart() bool { return s.slowStart }

// SetPeerQueue records the "reqq" of the peer's extension handshake: the
// requests it accepts outstanding (0 or less: it said nothing).
func (s *State) SetPeerQueue(reqq int, l Limits) {
	s.reqq = max(reqq, 0)
	s.clamp(l)
}

// MaxOut is the cap of the depth: max_out_request_queue, or the peer's
// reqq when that is lower; at least one.
func (s *State) MaxOut(l Limits) int {
	m := l.MaxOut
	if s.reqq > 0 && s.reqq < m {
		m = s.reqq
	}
	return max(m, 1)
}

// AtLimit reports whether the peer's rate asks for more requests than
// the cap allows (libtorrent's outstanding_request_limit_reached).
func (s *State) AtLimit(l Limits) bool { return !s.snubbed && s.depth >= s.MaxOut(l) }

// Sent records that requests went out; wasEmpty says none were
// outstanding before, which starts the wait for a block.
func (s *State) Sent(now time.Time, wasEmpty bool) {
	s.lastPiece = now
	if wasEmpty {
		s.requested = now
	}
}

// Received records a requested block's arrival; more says requests are
// still outstanding. It reports whether this unsnubs the peer: a block
// that came within the request timeout.
func (s *State) Received(now time.Time, l Limits, more bool) (unsnubbed bool) {
	s.lastPiece = now
	took := now.Sub(s.requested)
	if s.snubbed && took < s.Timeout(l) {
		s.snubbed, unsnubbed = false, true
	}
	s.times.add(took)
	if more {
		s.requested = now
	}
	if s.slowStart {
		s.depth++
	}
	s.clamp(l)
	return unsnubbed
}

// Redundant records the arrival of a block no longer awaited from the
// peer (timed out, or cancelled because another peer sent it): the peer
// is alive and its time per block counts, but it stays snubbed.
func (s *State) Redundant(now time.Time, more bool) {
	s.lastPiece = now
	s.times.add(now.Sub(s.requested))
	if more {
		s.requested = now
	}
}

// Timeout is the request timeout: the peer's usual time per block plus
// four deviations, at most request_timeout and at least 2 s; with one
// sample a fifth over it, with none request_timeout.
func (s *State) Timeout(l Limits) time.Duration {
	var t time.Duration
	switch n := s.times.n; {
	case n == 0:
		return l.RequestTimeout
	case n == 1:
		t = s.times.mean + s.times.mean/5
	default:
		t = s.times.mean + 4*s.times.dev
	}
	// Whole seconds, rounded up: the check runs once a second.
	t = min((t + time.Second - 1).Truncate(time.Second), l.RequestTimeout)
	return max(t, minTimeout)
}

// Tick is what the connection tells the pacing once a second.
type Tick struct {
	Outstanding int   // requests the peer holds (not timed out)
	Choked      bool  // the peer chokes us
	Payload     int64 // payload bytes received in the second
	Rate        int   // smoothed payload download rate, bytes/s
	// Stalled: our own limits (download quota, disk write credit) kept
	// the connection from reading during the second, so a late block is
	// not the peer's fault.
	Stalled bool
}

// Decision is what a tick asks of the connection.
type Decision struct {
	Snubbed bool // the peer became snubbed now (peer_snubbed)
	// TimeOut: hand one outstanding request back (block_timeout), the
	// one requested last, which other peers can then serve soonest.
	TimeOut bool
}

// Second runs the once-a-second checks and resizes the depth.
func (s *State) Second(now time.Time, l Limits, t Tick) Decision {
	var d Decision
	if t.Stalled || t.Outstanding == 0 {
		// Nothing is awaited, or we were the bottleneck: both clocks
		// start again.
		s.requested, s.lastPiece = now, now
	}
	late := t.Outstanding > 0 && (now.Sub(s.requested) > s.Timeout(l) || now.Sub(s.lastPiece) > l.PieceTimeout)
	// Slow start ends when the rate stops growing (not while choked:
	// there was no chance to grow).
	if s.slowStart && !t.Choked && s.prevPayload > 0 && s.prevPayload+slowStartSlack >= t.Payload {
		s.slowStart = false
	}
	s.prevPayload = t.Payload
	if late {
		d.Snubbed = !s.snubbed
		s.snubbed, s.slowStart = true, false
		d.TimeOut = true
	}
	if !s.slowStart && !s.snubbed {
		s.depth = int(int64(t.Rate) * int64(l.QueueTime) / int64(time.Second) / int64(max(l.BlockSize, 1)))
	}
	s.clamp(l)
	return d
}

// clamp keeps the depth within [MinDepth, MaxOut], or at one while
// snubbed. A cap below MinDepth wins: the peer said it takes no more.
func (s *State) clamp(l Limits) {
	if s.snubbed {
		s.depth = 1
		return
	}
	s.depth = min(max(s.depth, MinDepth), s.MaxOut(l))
}
