package utp

import (
	"math"
	"time"
)

// ledbat is libtorrent's congestion controller (do_ledbat and
// experienced_loss): cwnd in bytes as 16.16 fixed point, grown by
//
//	gain = acked/in_flight × (target−delay)/target × gain_factor
//
// per ACK (so about gain_factor bytes per RTT at zero delay, shrinking as
// the queuing delay nears the target and negative past it), exponential in
// slow start until ssthres, changed only while the sender fills the window,
// and never below one packet.
type ledbat struct {
	cfg       *Config
	cwnd      int64 // bytes << 16
	ssthres   int64 // bytes; 0 = not set yet
	slowStart bool
	mss       int // packet size now in use; the floor of cwnd

	// lossSeq: only a packet sent after the last cut may cut again, so a
	// burst of losses in one window halves cwnd once per RTT.
	lossSeq  uint16
	nextLoss time.Time // and at most once per utp_cwnd_reduce_timer
}

// initialCwnd is libtorrent's: one Ethernet MTU.
const initialCwnd = 1500

func newLEDBAT(cfg *Config, mss int, lastSent uint16) ledbat {
	l := ledbat{cfg: cfg, cwnd: initialCwnd << 16, slowStart: true, lossSeq: lastSent}
	l.setMSS(mss)
	return l
}

// window is cwnd in whole bytes.
func (l *ledbat) window() int { return int(l.cwnd >> 16) }

// setMSS follows a packet-size change; cwnd never stays below one packet.
func (l *ledbat) setMSS(mss int) {
	l.mss = mss
	if l.window() < mss {
		l.cwnd = int64(mss) << 16
	}
}

// onAck applies one ACK that acknowledged acked bytes when inFlight bytes
// were outstanding (inFlightAfter remain). delay is our measured queuing
// delay.
func (l *ledbat) onAck(acked, inFlight, inFlightAfter int, delay time.Duration) {
	if acked <= 0 || inFlight <= 0 {
		return
	}
	target := max(int64(l.cfg.TargetDelay/time.Microsecond), 1)
	d := int64(delay / time.Microsecond)
	// Saturated: the application filled the window. An application-limited
	// sender learns nothing about the path, so cwnd stays.
	saturated := inFlightAfter+acked+l.mss > l.window()

	windowFactor := int64(acked) << 16 / int64(inFlight)
	delayFactor := (target - d) << 16 / target
	if d >= target && l.slowStart {
		l.ssthres = int64(l.window() / 2)
		l.slowStart = false
	}
	linear := (windowFactor * delayFactor >> 16) * int64(l.cfg.GainFactor)

	var gain int64
	if saturated {
		gain = linear
		if l.slowStart {
			exp := int64(acked) << 16
			if l.ssthres != 0 && (l.cwnd+exp)>>16 > l.ssthres {
				l.slowStart = false
			} else {
				gain = max(exp, linear)
			}
		}
	}
	if gain >= math.MaxInt64-l.cwnd {
		gain = math.MaxInt64 - l.cwnd - 1
	}
	if (l.cwnd+gain)>>16 < int64(l.mss) {
		l.cwnd = int64(l.mss) << 16
	} else {
		l.cwnd += gain
	}
}

// onLoss cuts cwnd for a loss of packet seq (nextSeq is the next sequence
// number we will send) unless this window was already cut or the last cut
// is under utp_cwnd_reduce_timer old. It reports whether it cut.
func (l *ledbat) onLoss(seq, nextSeq uint16, now time.Time) bool {
	if SeqLessEq(seq, l.lossSeq) {
		return false
	}
	if !now.After(l.nextLoss) {
		return false
	}
	l.nextLoss = now.Add(l.cfg.CwndReduceTimer)
	l.cwnd = max(l.cwnd*int64(l.cfg.LossMultiplier)/100, int64(l.mss)<<16)
	l.lossSeq = nextSeq
	// Leave slow start; the next one stops before overshooting again.
	if l.slowStart {
		l.ssthres = int64(l.window())
		l.slowStart = false
	}
	return true
}

// onAckedTo moves the loss window forward as the cumulative ack passes it.
func (l *ledbat) onAckedTo(acked uint16) {
	if SeqLess(l.lossSeq, acked) {
		l.lossSeq = acked
	}
}

// onTimeout: with data outstanding cwnd falls to one packet and slow start
// begins again (towards ssthres); an idle direction only decays it by a
// third. Losses of packets already sent are not counted again.
func (l *ledbat) onTimeout(inFlight int, nextSeq uint16) {
	if inFlight == 0 && l.window() >= l.mss {
		l.cwnd = max(l.cwnd*2/3, int64(l.mss)<<16)
	} else {
		l.cwnd = int64(l.mss) << 16
	}
	l.lossSeq = nextSeq
	l.slowStart = true
}
