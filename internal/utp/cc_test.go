package utp

import (
	"testing"
	"time"
)

// dropData drops side 0's DATA packets for which drop (given the count of
// DATA packets sent so far, from 1, and the packet) says so.
func dropData(drop func(n int, p Packet) bool) linkConfig {
	n := 0
	return linkConfig{delay: 10 * time.Millisecond, drop: func(from int, p Packet) bool {
		if from != 0 || p.Type != TypeData {
			return false
		}
		n++
		return drop(n, p)
	}}
}

// TestLostFastResendGoesAgain: a lost packet whose fast resend is lost too
// is resent again as soon as packets sent after that resend are selectively
// acked, without waiting for the retransmission timeout (which libtorrent
// does: half a second of nothing, then cwnd at one packet).
func TestLostFastResendGoesAgain(t *testing.T) {
	var lost uint16
	drops := 0
	link := dropData(func(n int, p Packet) bool {
		if n == 60 {
			lost = p.SeqNr
		}
		if n >= 60 && p.SeqNr == lost && drops < 2 {
			drops++
			return true
		}
		return false
	})
	s := newSim(t, DefaultConfig(), link, 1)
	tr := newTransfer(1, 1<<20, 0)
	s.app = tr.app
	s.run(time.Minute, tr.done(s))
	tr.check(t, s)
	st := s.conns[0].Stats()
	if drops != 2 || st.Timeouts != 0 || st.FastRetransmit != 2 || st.PacketLoss != 1 {
		t.Fatalf("%d drops, stats %+v after %v", drops, st, s.elapsed())
	}
	t.Logf("done after %v, %+v", s.elapsed(), st)
}

// TestLossCutOncePerWindow: several packets lost in one window cut cwnd
// once (libtorrent's m_loss_seq_nr); a loss a window later cuts again.
func TestLossCutOncePerWindow(t *testing.T) {
	link := dropData(func(n int, p Packet) bool {
		return n == 100 || n == 103 || n == 110 || n == 1200
	})
	s := newSim(t, DefaultConfig(), link, 1)
	tr := newTransfer(1, 2<<20, 0)
	s.app = tr.app
	s.run(time.Minute, tr.done(s))
	tr.check(t, s)
	st := s.conns[0].Stats()
	if st.PacketLoss != 2 || st.FastRetransmit != 4 || st.Timeouts != 0 {
		t.Fatalf("stats %+v, want 2 cuts for 4 fast resends", st)
	}
}

// TestCwndGrowsOnlyWhenSaturated: an application that writes less than the
// window allows learns nothing about the path, so cwnd stays where it is.
func TestCwndGrowsOnlyWhenSaturated(t *testing.T) {
	s := connected(t, linkConfig{delay: 10 * time.Millisecond})
	a := s.conns[0]
	before := a.Cwnd()
	next := s.now.Add(time.Millisecond)
	s.wakes = append(s.wakes, next)
	writes := 0
	s.app = func(s *sim) {
		if !s.now.Before(next) && writes < 100 {
			if _, err := a.Write(make([]byte, 300), s.now); err != nil {
				t.Fatal(err)
			}
			writes++
			next = s.now.Add(50 * time.Millisecond)
			s.wakes = append(s.wakes, next)
		}
		s.conns[1].Read(make([]byte, 4096), s.now)
	}
	s.run(time.Minute, func() bool { return writes == 100 && a.BytesInFlight() == 0 })
	if a.Cwnd() != before {
		t.Fatalf("cwnd %d -> %d while the application never filled it", before, a.Cwnd())
	}
}

// TestProbeOnlyAboveThreeFloors: a path-MTU probe goes out only when cwnd
// holds more than three floor-sized packets (libtorrent's rule, so that a
// lost probe can be told from congestion).
func TestProbeOnlyAboveThreeFloors(t *testing.T) {
	for _, tt := range []struct {
		cwnd  int
		probe bool
	}{{3 * 548, false}, {3*548 + 1, true}} {
		s := connected(t, linkConfig{delay: 10 * time.Millisecond})
		a := s.conns[0]
		a.cc.cwnd = int64(tt.cwnd) << 16
		if _, err := a.Write(make([]byte, 4000), s.now); err != nil {
			t.Fatal(err)
		}
		out := a.Outgoing(nil)
		if len(out) == 0 || out[0].Probe != tt.probe || (tt.probe && len(out[0].B) != 1010) {
			t.Fatalf("cwnd %d: first datagram probe %v size %d, want probe %v", tt.cwnd, out[0].Probe, len(out[0].B), tt.probe)
		}
		for _, d := range out[1:] {
			if d.Probe || len(d.B) > 548 {
				t.Fatalf("cwnd %d: a second probe, or an ordinary packet of %d bytes", tt.cwnd, len(d.B))
			}
		}
	}
}

// TestCwndDecaysWhenIdle: data written after a pause longer than the
// retransmission timeout (no packet either way) starts from a decayed cwnd
// in slow start, as libtorrent's timer makes it, instead of going out as
// one burst of the window the last transfer reached; after a short pause
// the window stays.
func TestCwndDecaysWhenIdle(t *testing.T) {
	for _, tt := range []struct {
		pause    time.Duration
		maxBurst int // DATA packets sent at once on the Write
		minBurst int
		decayed  bool
	}{
		{pause: 10 * time.Second, maxBurst: 2, minBurst: 1, decayed: true},
		{pause: 300 * time.Millisecond, maxBurst: 1 << 20, minBurst: 50},
	} {
		s := connected(t, linkConfig{delay: 10 * time.Millisecond})
		tr := newTransfer(1, 1<<20, 0)
		s.app = func(s *sim) {
			if c := s.conns[0]; tr.written[0] < len(tr.out[0]) {
				n, _ := c.Write(tr.out[0][tr.written[0]:], s.now)
				tr.written[0] += n
			}
			s.conns[1].Read(tr.buf, s.now)
		}
		a := s.conns[0]
		s.run(time.Minute, func() bool { return tr.written[0] == len(tr.out[0]) && a.outbuf.len() == 0 })
		grown := a.Cwnd()
		s.app = func(s *sim) { s.conns[1].Read(tr.buf, s.now) }
		resume := s.now.Add(tt.pause)
		s.wakes = append(s.wakes, resume)
		s.run(time.Minute, func() bool { return !s.now.Before(resume) })
		if _, err := a.Write(make([]byte, 512<<10), s.now); err != nil {
			t.Fatal(err)
		}
		burst := 0
		for _, d := range a.Outgoing(nil) {
			if p, _ := ParsePacket(d.B); p.Type == TypeData {
				burst++
			}
		}
		if burst > tt.maxBurst || burst < tt.minBurst || (tt.decayed && !a.cc.slowStart) || (!tt.decayed && a.Cwnd() != grown) {
			t.Fatalf("after %v idle with cwnd %d: %d packets at once (cwnd now %d, slow start %v)",
				tt.pause, grown, burst, a.Cwnd(), a.cc.slowStart)
		}
	}
}

// TestLossCutTimer: a loss in the window after a cut, but under
// utp_cwnd_reduce_timer (100 ms) after it, does not cut again; one later
// does. (The first packet sent after a cut cannot cut either: libtorrent's
// m_loss_seq_nr is the next sequence number at the cut.)
func TestLossCutTimer(t *testing.T) {
	var s *sim
	var t0 time.Time
	var top uint16 // highest sequence number sent: only new packets are dropped
	dropped := 0
	link := dropData(func(n int, p Packet) bool {
		fresh := n == 1 || SeqLess(top, p.SeqNr)
		if fresh {
			top = p.SeqNr
		}
		switch {
		case n == 100:
			t0 = s.now
		case fresh && dropped == 1 && s.now.Sub(t0) > 30*time.Millisecond && SeqLess(s.conns[0].cc.lossSeq, p.SeqNr):
			// Sent after the first cut (past its loss window), lost
			// well within 100 ms of it.
		case fresh && dropped == 2 && s.now.Sub(t0) > 300*time.Millisecond:
		default:
			return false
		}
		dropped++
		return true
	})
	s = newSim(t, DefaultConfig(), link, 1)
	tr := newTransfer(1, 4<<20, 0)
	s.app = tr.app
	s.run(time.Minute, tr.done(s))
	tr.check(t, s)
	st := s.conns[0].Stats()
	if dropped != 3 || st.PacketLoss != 2 || st.FastRetransmit != 3 || st.Timeouts != 0 {
		t.Fatalf("%d dropped, stats %+v: want 2 cuts for 3 losses", dropped, st)
	}
}

// TestSlowStartEndsAtTarget pins when slow start ends on a bottleneck, by
// libtorrent's rule (do_ledbat): on the first ACK whose queuing delay (the
// least of the last three samples) reaches utp_target_delay, with ssthres
// set to half of cwnd. The queue is then about twice the target (cwnd
// doubled during the RTT the delay took to come back), as in libtorrent;
// what drains it is the linear decrease after.
func TestSlowStartEndsAtTarget(t *testing.T) {
	link := linkConfig{delay: 10 * time.Millisecond, rate: 1 << 20, maxQueue: 2 * time.Second}
	s := newSim(t, DefaultConfig(), link, 1)
	tr := newTransfer(1, 2<<20, 0)
	target := DefaultConfig().TargetDelay
	var exitCwnd int
	var exitDelay, lastDelay, exitQueue time.Duration
	s.app = func(s *sim) {
		tr.app(s)
		c := s.conns[0]
		d := c.delays.delay(0)
		if exitCwnd == 0 && !c.cc.slowStart {
			if c.cc.ssthres == 0 {
				t.Fatalf("slow start ended without ssthres (a loss?): %+v", c.Stats())
			}
			exitCwnd, exitDelay, exitQueue = int(c.cc.ssthres)*2, d, s.busyUntil[0].Sub(s.now)
			if lastDelay >= target {
				t.Fatalf("slow start went on past a delay of %v", lastDelay)
			}
		}
		lastDelay = d
	}
	s.run(time.Minute, func() bool { return exitCwnd != 0 })
	if exitDelay < target || exitDelay > target+20*time.Millisecond || exitQueue > 3*target {
		t.Fatalf("slow start ended at delay %v, queue %v", exitDelay, exitQueue)
	}
	t.Logf("slow start ended after %v at cwnd %d, delay %v, queue %v", s.elapsed(), exitCwnd, exitDelay, exitQueue)
}
