package requestq

import "time"

// slidingGain bounds how many samples the averages weigh: past it each new
// sample counts for 1/slidingGain (libtorrent's sliding_average<20>).
const slidingGain = 20

// sliding is a running mean and mean absolute deviation that weighs its
// first samples equally and then forgets old ones exponentially, so that a
// peer's request time follows its current speed.
type sliding struct {
	n    int
	mean time.Duration
	dev  time.Duration
}

func (a *sliding) add(s time.Duration) {
	d := s - a.mean
	if d < 0 {
		d = -d
	}
	if a.n == 0 {
		d = 0
	}
	if a.n < slidingGain {
		a.n++
	}
	a.mean += (s - a.mean) / time.Duration(a.n)
	if a.n > 1 {
		a.dev += (d - a.dev) / time.Duration(a.n-1)
	}
}
