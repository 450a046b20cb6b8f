package utp

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"math/rand/v2"
	"testing"
	"time"
)

// transfer is the application on both ends: each side writes its bytes,
// reads everything the other sends, and closes once both are done.
type transfer struct {
	out     [2][]byte
	written [2]int
	got     [2][]byte
	eof     [2]bool
	closed  [2]bool
	// holdReads keeps a side from reading until the time given.
	holdReads [2]time.Time
	reason    uint16 // close_reason side 0 closes with
	buf       []byte
}

func newTransfer(seed uint64, n0, n1 int) *transfer {
	var key [32]byte
	key[0] = byte(seed)
	r := rand.NewChaCha8(key)
	mk := func(n int) []byte {
		b := make([]byte, n)
		_, _ = r.Read(b)
		return b
	}
	tr := &transfer{out: [2][]byte{mk(n0), mk(n1)}, buf: make([]byte, 64<<10)}
	tr.got = [2][]byte{make([]byte, 0, n1), make([]byte, 0, n0)}
	return tr
}

func (tr *transfer) app(s *sim) {
	for i, c := range s.conns {
		if c == nil {
			continue
		}
		if tr.written[i] < len(tr.out[i]) {
			n, err := c.Write(tr.out[i][tr.written[i]:], s.now)
			if err != nil {
				s.t.Fatalf("side %d write: %v", i, err)
			}
			tr.written[i] += n
		}
		if s.now.Before(tr.holdReads[i]) {
			continue
		}
		for !tr.eof[i] {
			n, err := c.Read(tr.buf, s.now)
			tr.got[i] = append(tr.got[i], tr.buf[:n]...)
			if errors.Is(err, io.EOF) {
				tr.eof[i] = true
			} else if err != nil {
				s.t.Fatalf("side %d read after %v: %v", i, s.elapsed(), err)
			}
			if n == 0 {
				break
			}
		}
		if !tr.closed[i] && tr.written[i] == len(tr.out[i]) && len(tr.got[i]) == len(tr.out[1-i]) {
			tr.closed[i] = true
			reason := uint16(0)
			if i == 0 {
				reason = tr.reason
			}
			c.Close(reason, s.now)
		}
	}
}

func (tr *transfer) done(s *sim) func() bool {
	return func() bool {
		return s.conns[1] != nil && s.conns[0].State() == StateClosed && s.conns[1].State() == StateClosed &&
			tr.eof[0] && tr.eof[1]
	}
}

func (tr *transfer) check(t *testing.T, s *sim) {
	t.Helper()
	for i := range 2 {
		if !bytes.Equal(tr.got[1-i], tr.out[i]) {
			t.Fatalf("side %d sent %d bytes, side %d received %d (intact prefix %d)",
				i, len(tr.out[i]), 1-i, len(tr.got[1-i]), commonPrefix(tr.got[1-i], tr.out[i]))
		}
		if err := s.conns[i].Err(); err != nil {
			t.Fatalf("side %d closed with %v", i, err)
		}
	}
}

var traceFlag = flag.Bool("utptrace", false, "log every datagram of the simulated links (with -v)")

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// TestTransferImpaired sends data both ways across links that lose,
// reorder and duplicate packets; every byte must arrive intact and in
// order, and both ends close cleanly. Sequence numbers start just below
// the 16-bit wrap.
func TestTransferImpaired(t *testing.T) {
	tests := []struct {
		name   string
		link   linkConfig
		n0, n1 int
		limit  time.Duration
	}{
		{name: "clean", link: linkConfig{delay: 10 * time.Millisecond}, n0: 1 << 20, n1: 100 << 10, limit: 30 * time.Second},
		{name: "loss 2%", link: linkConfig{delay: 10 * time.Millisecond, loss: 0.02}, n0: 512 << 10, n1: 64 << 10, limit: 2 * time.Minute},
		{name: "loss 10%", link: linkConfig{delay: 5 * time.Millisecond, loss: 0.10}, n0: 256 << 10, n1: 32 << 10, limit: 5 * time.Minute},
		{name: "reorder", link: linkConfig{delay: 10 * time.Millisecond, jitter: 5 * time.Millisecond, reorder: 0.05, reorderBy: 15 * time.Millisecond}, n0: 512 << 10, n1: 64 << 10, limit: time.Minute},
		{name: "duplicate", link: linkConfig{delay: 10 * time.Millisecond, dup: 0.2}, n0: 512 << 10, n1: 64 << 10, limit: time.Minute},
		{name: "everything", link: linkConfig{delay: 20 * time.Millisecond, jitter: 20 * time.Millisecond, reorder: 0.1, reorderBy: 30 * time.Millisecond, loss: 0.05, dup: 0.05}, n0: 256 << 10, n1: 256 << 10, limit: 5 * time.Minute},
	}
	for _, tt := range tests {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(tt.name, func(t *testing.T) {
				s := newSim(t, DefaultConfig(), tt.link, seed)
				s.trace = testing.Verbose() && *traceFlag
				tr := newTransfer(seed, tt.n0, tt.n1)
				s.app = tr.app
				s.run(tt.limit, tr.done(s))
				tr.check(t, s)
				st := s.conns[0].Stats()
				t.Logf("seed %d: %v virtual, %.1f MiB/s, %d dropped, sender: %+v cwnd %d mtu %d rtt %v",
					seed, s.elapsed(), float64(tt.n0+tt.n1)/s.elapsed().Seconds()/(1<<20), s.dropped, st,
					s.conns[0].Cwnd(), s.conns[0].MTU(), s.conns[0].RTT())
			})
		}
	}
}

// TestSequenceWrapsFully runs more than 65536 packets each way (100-byte
// payloads) over a lossy, reordering link, so every sequence and ack
// number comparison crosses the wrap, with packets in flight on both sides
// of it.
func TestSequenceWrapsFully(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MTUFloor, cfg.MTUCeiling = 120, 120
	cfg.ReceiveBuffer = 16 << 10
	link := linkConfig{delay: 5 * time.Millisecond, jitter: time.Millisecond, reorder: 0.01, reorderBy: 2 * time.Millisecond, loss: 0.01}
	s := newSim(t, cfg, link, 1)
	s.trace = testing.Verbose() && *traceFlag
	const n = 70000 * 100
	tr := newTransfer(1, n, n)
	s.app = tr.app
	s.run(10*time.Minute, tr.done(s))
	tr.check(t, s)
	for i, c := range s.conns {
		if d := s.sent[i][TypeData]; d <= 1<<16 {
			t.Fatalf("side %d sent only %d DATA packets", i, d)
		}
		t.Logf("side %d: %d DATA, %+v, ends at seq %d", i, s.sent[i][TypeData], c.Stats(), c.seqNr)
	}
}
