package utp

import (
	"testing"
	"time"
)

func TestLEDBATOnAck(t *testing.T) {
	cfg := DefaultConfig()
	const mss = 1000
	tests := []struct {
		name                   string
		cwnd, ssthres          int
		slowStart              bool
		acked, inFlight, after int
		delay                  time.Duration
		wantCwnd               int
		wantSlowStart          bool
		wantSsthres            int
	}{
		// Linear gain at zero delay, whole window acked: +gain_factor.
		{name: "linear full window", cwnd: 10000, acked: 10000, inFlight: 10000, after: 0, wantCwnd: 13000},
		// A tenth of the window acked: a tenth of the gain (16.16 fixed
		// point truncates 300 to 299, as libtorrent's does).
		{name: "linear partial", cwnd: 10000, acked: 1000, inFlight: 10000, after: 9000, wantCwnd: 10299},
		// Half the target: half the gain.
		{name: "half target", cwnd: 10000, acked: 10000, inFlight: 10000, delay: 50 * time.Millisecond, wantCwnd: 11500},
		// Past the target the gain turns negative.
		{name: "over target", cwnd: 10000, acked: 10000, inFlight: 10000, delay: 200 * time.Millisecond, wantCwnd: 7000},
		// Never below one packet.
		{name: "floor", cwnd: 1200, acked: 1200, inFlight: 1200, delay: time.Second, wantCwnd: mss},
		// Not saturated: the application sends less than the window allows.
		{name: "app limited", cwnd: 100000, acked: 1000, inFlight: 2000, after: 1000, wantCwnd: 100000},
		// Slow start adds what was acked when that beats the linear gain.
		{name: "slow start exponential", cwnd: 20000, slowStart: true, acked: 10000, inFlight: 20000, after: 10000, wantCwnd: 30000, wantSlowStart: true},
		// ...but not past ssthres: it leaves slow start and grows linearly.
		{name: "slow start hits ssthres", cwnd: 20000, ssthres: 25000, slowStart: true, acked: 10000, inFlight: 20000, after: 10000, wantCwnd: 21500, wantSsthres: 25000},
		// Reaching the delay target in slow start sets ssthres to half.
		{name: "slow start over target", cwnd: 20000, slowStart: true, acked: 20000, inFlight: 20000, delay: 100 * time.Millisecond, wantCwnd: 20000, wantSsthres: 10000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLEDBAT(&cfg, mss, 0)
			l.cwnd, l.ssthres, l.slowStart = int64(tt.cwnd)<<16, int64(tt.ssthres), tt.slowStart
			l.onAck(tt.acked, tt.inFlight, tt.after, tt.delay)
			if l.window() != tt.wantCwnd || l.slowStart != tt.wantSlowStart || int(l.ssthres) != tt.wantSsthres {
				t.Fatalf("cwnd %d slow %v ssthres %d, want %d %v %d",
					l.window(), l.slowStart, l.ssthres, tt.wantCwnd, tt.wantSlowStart, tt.wantSsthres)
			}
		})
	}
}

func TestLEDBATLoss(t *testing.T) {
	cfg := DefaultConfig()
	t0 := time.Unix(1000, 0)
	l := newLEDBAT(&cfg, 1000, 99) // sent up to 99
	l.cwnd = 64000 << 16
	steps := []struct {
		name      string
		seq, next uint16
		at        time.Duration
		cut       bool
		cwnd      int
	}{
		{"first loss halves", 100, 120, 0, true, 32000},
		{"same window again", 110, 125, time.Second, false, 32000},
		{"the window's last packet", 120, 125, time.Second, false, 32000},
		{"next window", 121, 130, time.Second, true, 16000},
		{"next window but within 100 ms", 131, 140, time.Second + 50*time.Millisecond, false, 16000},
		{"after 100 ms", 131, 140, time.Second + 101*time.Millisecond, true, 8000},
		{"never below a packet", 141, 150, 2 * time.Second, true, 4000},
		{"", 151, 160, 3 * time.Second, true, 2000},
		{"", 161, 170, 4 * time.Second, true, 1000},
		{"", 171, 180, 5 * time.Second, true, 1000},
	}
	for _, s := range steps {
		if cut := l.onLoss(s.seq, s.next, t0.Add(s.at)); cut != s.cut || l.window() != s.cwnd {
			t.Fatalf("%s: cut %v cwnd %d, want %v %d", s.name, cut, l.window(), s.cut, s.cwnd)
		}
		if l.slowStart {
			t.Fatalf("%s: still in slow start after a loss", s.name)
		}
	}
	if l.ssthres != 32000 {
		t.Fatalf("ssthres %d, want the first cut's 32000", l.ssthres)
	}
}

func TestLEDBATLossWraps(t *testing.T) {
	cfg := DefaultConfig()
	l := newLEDBAT(&cfg, 1000, 0xfff0)
	l.cwnd = 8000 << 16
	now := time.Unix(0, 0)
	if !l.onLoss(0xfffe, 0x0005, now) {
		t.Fatal("loss after lossSeq not counted")
	}
	now = now.Add(time.Second)
	if l.onLoss(0x0003, 0x0010, now) {
		t.Fatal("loss inside the cut window (across the wrap) counted")
	}
	if !l.onLoss(0x0006, 0x0010, now) {
		t.Fatal("loss past the wrap not counted")
	}
	l.onAckedTo(0x0020)
	if l.lossSeq != 0x0020 {
		t.Fatalf("lossSeq %#x after ack past it", l.lossSeq)
	}
}

func TestLEDBATTimeout(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		cwnd, inFlight, want int
	}{
		{30000, 5000, 1000}, // lost data: one packet
		{30000, 0, 20000},   // idle direction: decay by a third
		{1200, 0, 1000},     // never below a packet
	}
	for _, tt := range tests {
		l := newLEDBAT(&cfg, 1000, 0)
		l.cwnd, l.slowStart = int64(tt.cwnd)<<16, false
		l.onTimeout(tt.inFlight, 50)
		if l.window() != tt.want || !l.slowStart || l.lossSeq != 50 {
			t.Errorf("cwnd %d in flight %d: got %d slow %v lossSeq %d", tt.cwnd, tt.inFlight, l.window(), l.slowStart, l.lossSeq)
		}
	}
}

// TestSlowStartThenLinear runs the controller over whole windows in virtual
// time: cwnd doubles per RTT in slow start, halves on a loss, then grows by
// about gain_factor per RTT.
func TestSlowStartThenLinear(t *testing.T) {
	cfg := DefaultConfig()
	const mss = 1000
	l := newLEDBAT(&cfg, mss, 0)
	now := time.Unix(0, 0)
	var seq uint16
	// One RTT: every packet of a full window is acked, and the sender
	// refills the window after each ACK, so it stays saturated.
	ackWindow := func() {
		n := l.window() / mss
		for range n {
			w := l.window() / mss * mss
			l.onAck(mss, w, w-mss, 0)
		}
		seq += uint16(n)
		now = now.Add(50 * time.Millisecond)
	}
	var sizes []int
	for range 6 {
		ackWindow()
		sizes = append(sizes, l.window())
	}
	for i := 1; i < len(sizes); i++ {
		if sizes[i] < 2*sizes[i-1]-mss {
			t.Fatalf("slow start did not double: %v", sizes)
		}
	}
	before := l.window()
	if !l.onLoss(seq, seq+10, now) {
		t.Fatal("loss ignored")
	}
	if l.window() != before/2 {
		t.Fatalf("loss: %d -> %d", before, l.window())
	}
	w0 := l.window()
	ackWindow()
	if g := l.window() - w0; g < 2900 || g > 3100 {
		t.Fatalf("congestion avoidance grew %d bytes in one RTT, want about %d", g, cfg.GainFactor)
	}
}
