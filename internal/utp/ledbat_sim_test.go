package utp

import (
	"testing"
	"time"
)

// TestLEDBATBottleneck pushes 20 MiB through a 1 MiB/s bottleneck with a
// deep (2 s) buffer. LEDBAT must keep the link busy without a single drop,
// and once slow start's overshoot has drained (at utp_gain_factor bytes per
// RTT, as in libtorrent: about 15 s here) hold the queue it builds at
// utp_target_delay instead of filling the buffer as a loss-based sender
// would.
func TestLEDBATBottleneck(t *testing.T) {
	const rate = 1 << 20
	const size = 20 << 20
	target := DefaultConfig().TargetDelay
	link := linkConfig{delay: 10 * time.Millisecond, rate: rate, maxQueue: 2 * time.Second}
	s := newSim(t, DefaultConfig(), link, 1)
	tr := newTransfer(1, size, 0)
	var lo, hi time.Duration
	s.app = func(s *sim) {
		tr.app(s)
		if s.elapsed() > 17*time.Second && tr.written[0] < size {
			q := s.busyUntil[0].Sub(s.now)
			if lo == 0 || q < lo {
				lo = q
			}
			hi = max(hi, q)
		}
	}
	s.run(time.Minute, tr.done(s))
	tr.check(t, s)
	secs := s.elapsed().Seconds()
	util := float64(size) / secs / rate
	t.Logf("%d MiB in %.2fs (%.0f%% of the link), queue peak %v, from 17 s on %v..%v, cwnd %d, stats %+v",
		size>>20, secs, util*100, s.maxQueued, lo, hi, s.conns[0].Cwnd(), s.conns[0].Stats())
	if util < 0.9 {
		t.Errorf("used %.0f%% of the bottleneck, want at least 90%%", util*100)
	}
	if s.dropped > 0 {
		t.Errorf("%d packets dropped at a 2 s buffer: LEDBAT filled it", s.dropped)
	}
	if s.maxQueued > 3*target {
		t.Errorf("slow start queued %v, want under %v", s.maxQueued, 3*target)
	}
	if hi > target*115/100 || lo < target/2 {
		t.Errorf("queue from 17 s on was %v..%v, want about the %v target", lo, hi, target)
	}
}
