package utp

import (
	"math"
	"time"
)

// baseHistorySlots is how many one-minute minima the delay base is the
// minimum of. BEP 29 and libutp use 13 (libtorrent 2.0.8 keeps 20); the
// base only has to forget a stale minimum within minutes.
const baseHistorySlots = 13

// baseHistory tracks the lowest one-way delay seen (libtorrent's
// timestamp_history): samples are raw 32-bit microsecond differences
// between two unsynchronised clocks, so only differences from the base mean
// anything, and comparisons wrap.
type baseHistory struct {
	slots   [baseHistorySlots]uint32
	idx     int
	base    uint32
	samples int // since the last step
	init    bool
}

// minSamplesPerStep: a slot is closed only after this many samples, so an
// idle connection does not roll its base over on a few unreliable samples.
const minSamplesPerStep = 120

// add records a sample and returns it relative to the base. step closes the
// current one-minute slot and recomputes the base from the kept slots.
func (h *baseHistory) add(sample uint32, step bool) uint32 {
	if !h.init {
		for i := range h.slots {
			h.slots[i] = sample
		}
		h.base, h.init, h.samples = sample, true, 0
	}
	h.samples++
	if timestampLess(sample, h.base) {
		h.base = sample
		h.slots[h.idx] = sample
	} else if timestampLess(sample, h.slots[h.idx]) {
		h.slots[h.idx] = sample
	}
	rel := sample - h.base
	if step && h.samples > minSamplesPerStep {
		h.samples = 0
		h.idx = (h.idx + 1) % baseHistorySlots
		h.slots[h.idx] = sample
		h.base = sample
		for _, s := range h.slots {
			if timestampLess(s, h.base) {
				h.base = s
			}
		}
	}
	return rel
}

// adjustBase moves the base up by change and keeps every slot at least
// there, so the adjustment survives the next step.
func (h *baseHistory) adjustBase(change uint32) {
	h.base += change
	for i, s := range h.slots {
		if timestampLess(s, h.base) {
			h.slots[i] = h.base
		}
	}
}

// delayEstimator turns the timestamps of incoming packets into our one-way
// queuing delay (what LEDBAT steers) and the reply value we echo back in
// timestamp_difference_microseconds.
type delayEstimator struct {
	ours, theirs baseHistory
	recent       [3]uint32 // last three delay samples above our base
	recentIdx    int
	lastStep     time.Time
	replyMicro   uint32
	theirDelay   uint32 // the peer's queuing delay as we see it, µs
}

func newDelayEstimator() delayEstimator {
	return delayEstimator{recent: [3]uint32{math.MaxUint32, math.MaxUint32, math.MaxUint32}}
}

// maxDriftAdjust: a drop of the peer's base by less than this is clock
// drift and moves our base up by the same; more is something else.
const maxDriftAdjust = 10000 // µs

// observe takes an incoming packet's timestamps and our receive time in
// microseconds; it reports whether the packet carried a delay sample.
func (d *delayEstimator) observe(now time.Time, nowMicro, theirTS, theirDiff uint32) bool {
	step := false
	if now.Sub(d.lastStep) > time.Minute {
		step, d.lastStep = true, now
	}
	if theirTS != 0 {
		d.replyMicro = nowMicro - theirTS
		prev := uint32(0)
		if d.theirs.init {
			prev = d.theirs.base
		}
		d.theirDelay = d.theirs.add(d.replyMicro, step)
		change := int64(int32(d.theirs.base - prev))
		if prev != 0 && change < 0 && change > -maxDriftAdjust && d.ours.init {
			d.ours.adjustBase(uint32(-change))
		}
	}
	// uTorrent has been seen sending INT_MAX for "no sample yet".
	if theirDiff == 0 || theirDiff == math.MaxInt32 {
		return false
	}
	d.recent[d.recentIdx] = d.ours.add(theirDiff, step)
	d.recentIdx = (d.recentIdx + 1) % len(d.recent)
	return true
}

// delay is the queuing delay LEDBAT uses: the least of the last three
// samples (one delayed packet is noise), never more than the RTT.
func (d *delayEstimator) delay(minRTT time.Duration) time.Duration {
	m := min(d.recent[0], d.recent[1], d.recent[2])
	dl := time.Duration(m) * time.Microsecond
	if minRTT > 0 && dl > minRTT {
		dl = minRTT
	}
	return dl
}
