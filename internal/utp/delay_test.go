package utp

import (
	"math"
	"testing"
	"time"
)

func TestBaseHistory(t *testing.T) {
	var h baseHistory
	if got := h.add(5000, false); got != 0 {
		t.Fatalf("first sample relative %d", got)
	}
	if got := h.add(5300, false); got != 300 {
		t.Fatalf("relative %d, want 300", got)
	}
	if got := h.add(4000, false); got != 0 || h.base != 4000 {
		t.Fatalf("lower sample: rel %d base %d", got, h.base)
	}
	// A step with too few samples does nothing.
	h.add(4500, true)
	if h.idx != 0 {
		t.Fatal("stepped on 4 samples")
	}
	// Each later minute sees only 6000: the old 4000 is forgotten after
	// baseHistorySlots steps.
	for minute := 1; minute <= baseHistorySlots; minute++ {
		for range minSamplesPerStep {
			h.add(6000, false)
		}
		h.add(6000, true)
		want := uint32(4000)
		if minute >= baseHistorySlots {
			want = 6000
		}
		if h.base != want {
			t.Fatalf("minute %d: base %d, want %d", minute, h.base, want)
		}
	}
}

func TestBaseHistoryWraps(t *testing.T) {
	var h baseHistory
	h.add(math.MaxUint32-100, false)
	if got := h.add(50, false); got != 151 {
		t.Fatalf("sample across the 32-bit wrap: rel %d, want 151", got)
	}
	h.add(math.MaxUint32-200, false)
	if h.base != math.MaxUint32-200 {
		t.Fatalf("base %d", h.base)
	}
}

func TestDelayEstimator(t *testing.T) {
	d := newDelayEstimator()
	now := time.Unix(100, 0)
	// Samples 10000 (base), 40000, 30000, 35000 µs: delay is the least of
	// the last three above the base.
	for _, s := range []uint32{10000, 40000, 30000, 35000} {
		if !d.observe(now, 0, 0, s) {
			t.Fatal("sample not taken")
		}
	}
	if got := d.delay(0); got != 20*time.Millisecond {
		t.Fatalf("delay %v, want 20ms", got)
	}
	if got := d.delay(5 * time.Millisecond); got != 5*time.Millisecond {
		t.Fatalf("not clamped to the RTT: %v", got)
	}
	if d.observe(now, 0, 0, 0) || d.observe(now, 0, 0, math.MaxInt32) {
		t.Fatal("0 and INT_MAX are not samples")
	}
	// The reply echoes our receive time minus their timestamp, wrapping.
	d.observe(now, 100, 200, 0)
	if d.replyMicro != math.MaxUint32-99 {
		t.Fatalf("reply %d", d.replyMicro)
	}
}

// TestDelayClockDrift: when the peer's base delay falls by a few ms (their
// clock runs slow against ours), our base rises by as much.
func TestDelayClockDrift(t *testing.T) {
	d := newDelayEstimator()
	now := time.Unix(100, 0)
	d.observe(now, 1_000_000, 500_000, 7000)  // their base 500000, ours 7000
	d.observe(now, 1_000_000, 503_000, 12000) // their base falls by 3000
	if d.ours.base != 10000 {
		t.Fatalf("our base %d, want 10000", d.ours.base)
	}
	d.observe(now, 1_000_000, 600_000, 12000) // a 97 ms fall is not drift
	if d.ours.base != 10000 {
		t.Fatalf("our base %d moved on a big jump", d.ours.base)
	}
}
