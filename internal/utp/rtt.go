package utp

import "time"

// rttEstimator is libtorrent's sliding_average<int,16> over RTT samples in
// milliseconds: an exponential moving mean and mean deviation whose gain is
// 1/n for the first 16 samples and 1/16 after, kept in 1/64 ms fixed point.
type rttEstimator struct {
	mean, dev int64 // ms × 64
	n         int64
}

const rttInvGain = 16

func (r *rttEstimator) add(sample time.Duration) {
	s := sample.Milliseconds() * 64
	var d int64
	if r.n > 0 {
		d = s - r.mean
		if d < 0 {
			d = -d
		}
	}
	if r.n < rttInvGain {
		r.n++
	}
	r.mean += (s - r.mean) / r.n
	if r.n > 1 {
		r.dev += (d - r.dev) / (r.n - 1)
	}
}

// meanMs and devMs round to whole milliseconds as libtorrent does.
func (r *rttEstimator) meanMs() int64 {
	if r.n == 0 {
		return 0
	}
	return (r.mean + 32) / 64
}

func (r *rttEstimator) devMs() int64 {
	if r.n < 2 {
		return 0
	}
	return (r.dev + 32) / 64
}

// maxTimeout caps every RTO, as libtorrent does.
const maxTimeout = 60 * time.Second

// timeout is libtorrent's packet_timeout for an established connection:
// max(utp_min_timeout, rtt + 2·deviation), plus 2^(n-1) s after the n-th
// consecutive timeout, so each retry waits about twice as long as the last.
func (r *rttEstimator) timeout(minTimeout time.Duration, numTimeouts int) time.Duration {
	if numTimeouts >= 7 {
		return maxTimeout
	}
	t := max(minTimeout, time.Duration(r.meanMs()+2*r.devMs())*time.Millisecond)
	if numTimeouts > 0 {
		t += time.Duration(1<<(numTimeouts-1)) * time.Second
	}
	return min(t, maxTimeout)
}

// synTimeout is the wait for a SYN's answer: utp_connect_timeout, doubled
// per retry (there is no RTT sample yet).
func synTimeout(connect time.Duration, numTimeouts int) time.Duration {
	return min(connect<<min(numTimeouts, 6), maxTimeout)
}
