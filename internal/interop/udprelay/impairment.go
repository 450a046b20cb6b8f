package udprelay

import (
	"errors"
	"fmt"
	"time"
)

// ErrBadConfig means a Config or Impairment cannot be used.
var ErrBadConfig = errors.New("udprelay: bad config")

// defaultReorderHold is how long a held-back datagram waits for the
// datagrams that are to overtake it when Impairment.ReorderHold is zero:
// long enough for a back-to-back burst to catch up, short enough that a
// held datagram at the end of a burst is only late, not lost.
const defaultReorderHold = 10 * time.Millisecond

// Impairment is what one direction of the relay does to the datagrams
// that cross it, in this order: loss, then reordering, then delay and the
// bandwidth cap. The zero value forwards every datagram at once, in order.
type Impairment struct {
	// Loss is the probability in [0, 1] that a datagram is dropped.
	Loss float64
	// Reorder is the probability in [0, 1] that a datagram is held back
	// until ReorderGap later datagrams have gone ahead of it.
	Reorder float64
	// ReorderGap is how many later datagrams overtake a held one (0: 1).
	ReorderGap int
	// ReorderHold bounds how long a held datagram waits for them (0:
	// 10 ms); one released by this timeout was delayed, not reordered.
	ReorderHold time.Duration
	// Delay is added to every datagram.
	Delay time.Duration
	// Jitter adds a further delay drawn uniformly from [0, Jitter). It
	// never reorders: a datagram leaves no earlier than the one before it
	// (reordering is Reorder's job, so that tests can count it).
	Jitter time.Duration
	// Bandwidth caps the direction at this many bytes a second, queueing
	// datagrams as a slow link would (0: no cap).
	Bandwidth int
}

// validate reports the first unusable field.
func (m Impairment) validate() error {
	switch {
	case m.Loss < 0 || m.Loss > 1:
		return fmt.Errorf("%w: Loss %v is not a probability", ErrBadConfig, m.Loss)
	case m.Reorder < 0 || m.Reorder > 1:
		return fmt.Errorf("%w: Reorder %v is not a probability", ErrBadConfig, m.Reorder)
	case m.ReorderGap < 0 || m.ReorderHold < 0 || m.Delay < 0 || m.Jitter < 0 || m.Bandwidth < 0:
		return fmt.Errorf("%w: negative gap, hold, delay, jitter or bandwidth in %+v", ErrBadConfig, m)
	}
	return nil
}

// withDefaults fills the fields whose zero value means "the default".
func (m Impairment) withDefaults() Impairment {
	if m.ReorderGap == 0 {
		m.ReorderGap = 1
	}
	if m.ReorderHold == 0 {
		m.ReorderHold = defaultReorderHold
	}
	return m
}

// delays reports whether m holds every datagram for some time.
func (m Impairment) delays() bool { return m.Delay > 0 || m.Jitter > 0 }

// txTime is how long a datagram of n bytes occupies a capped link.
func (m Impairment) txTime(n int) time.Duration {
	if m.Bandwidth == 0 {
		return 0
	}
	return time.Duration(int64(n) * int64(time.Second) / int64(m.Bandwidth))
}
