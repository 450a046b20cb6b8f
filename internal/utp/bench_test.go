package utp

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// benchPipe joins two Conns back to back with no simulated link: every
// round hands one side's datagrams to the other as a read batch (then
// Flush), advancing virtual time by a fixed hop. What it measures is the
// state machines' own work per packet, not a network's.
type benchPipe struct {
	a, b    *Conn
	now     time.Time
	hop     time.Duration
	rng     *rand.Rand
	loss    float64
	batch   []Datagram
	packets [2]int // datagrams handed over (or dropped): a to b, b to a
	dropped int
}

func newBenchPipe(cfg Config, loss float64) *benchPipe {
	p := &benchPipe{now: time.Unix(1_700_000_000, 0), hop: 50 * time.Microsecond,
		rng: rand.New(rand.NewPCG(1, 2)), loss: loss}
	p.a = NewInitiator(cfg, 0x1234, 0xfff0, p.now)
	syn, _ := ParsePacket(p.a.Outgoing(nil)[0].B)
	p.b = NewAcceptor(cfg, syn, 0x8000, p.now)
	p.b.Flush(p.now)
	p.deliver(p.b, p.a)
	return p
}

// deliver hands from's datagrams to to as one read batch.
func (p *benchPipe) deliver(from, to *Conn) int {
	p.now = p.now.Add(p.hop)
	p.batch = from.Outgoing(p.batch[:0])
	n := len(p.batch)
	dir := 0
	if from == p.b {
		dir = 1
	}
	p.packets[dir] += n
	for _, d := range p.batch {
		if p.loss > 0 && p.rng.Float64() < p.loss {
			p.dropped++
			continue
		}
		pk, err := ParsePacket(d.B)
		if err != nil {
			panic(err)
		}
		to.Incoming(pk, p.now)
	}
	if n > 0 {
		to.Flush(p.now)
	}
	return n
}

// tick runs both sides' timers when nothing moves: virtual time jumps to
// the earlier deadline.
func (p *benchPipe) tick() {
	next := time.Time{}
	for _, c := range []*Conn{p.a, p.b} {
		if d := c.Deadline(); !d.IsZero() && (next.IsZero() || d.Before(next)) {
			next = d
		}
	}
	if next.IsZero() {
		panic("stuck: nothing in flight and no deadline")
	}
	if next.After(p.now) {
		p.now = next
	}
	p.a.Tick(p.now)
	p.b.Tick(p.now)
}

// transfer pushes total bytes from a to b, reading as they arrive.
func (p *benchPipe) transfer(total int, src, dst []byte) {
	written, read := 0, 0
	for read < total {
		if written < total {
			n, err := p.a.Write(src[:min(len(src), total-written)], p.now)
			if err != nil {
				panic(err)
			}
			written += n
		}
		moved := p.deliver(p.a, p.b)
		for {
			n, err := p.b.Read(dst, p.now)
			if err != nil {
				panic(err)
			}
			if n == 0 {
				break
			}
			read += n
		}
		moved += p.deliver(p.b, p.a)
		if moved == 0 {
			p.tick()
		}
	}
}

// benchTransfer reports, besides ns/op for 256 MiB, the cost and the
// allocations per data packet (the work of both sides, their ACKs included,
// divided by the datagrams sent by the writer).
func benchTransfer(b *testing.B, loss float64) {
	const total = 256 << 20
	src := make([]byte, 64<<10)
	dst := make([]byte, 64<<10)
	b.SetBytes(total)
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	packets := 0
	var elapsed, cpu time.Duration
	for b.Loop() {
		p := newBenchPipe(DefaultConfig(), loss)
		runtime.ReadMemStats(&ms0)
		start, cpu0 := time.Now(), processCPU()
		p.transfer(total, src, dst)
		elapsed += time.Since(start)
		cpu += processCPU() - cpu0
		runtime.ReadMemStats(&ms1)
		packets += p.packets[0]
		b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(p.packets[0]), "allocs/packet")
		b.ReportMetric(float64(p.packets[0])/float64(p.packets[1]), "packets/ack")
	}
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(packets), "ns/packet")
	if cpu > 0 {
		// CPU time (the GC's included) is what a loaded machine does not
		// inflate; GOMAXPROCS>1 lets it exceed the wall time.
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(packets), "cpu-ns/packet")
	}
}

func BenchmarkTransferLossless(b *testing.B) { benchTransfer(b, 0) }
func BenchmarkTransferLoss1(b *testing.B)    { benchTransfer(b, 0.01) }

// BenchmarkSmallWrites measures what Nagle does to a stream of 17-byte
// BitTorrent messages (have, request): DATA packets sent per 1000 writes
// over a 20 ms RTT link, for writes all at once, one every millisecond
// (faster than the RTT) and one every 30 ms (slower than it), with Nagle
// on and off. Every byte must arrive.
func BenchmarkSmallWrites(b *testing.B) {
	for _, nagle := range []bool{true, false} {
		for _, every := range []time.Duration{0, time.Millisecond, 30 * time.Millisecond} {
			name := fmt.Sprintf("nagle=%v/every=%v", nagle, every)
			b.Run(name, func(b *testing.B) {
				var packets int
				for b.Loop() {
					packets = smallWrites(b, nagle, every)
				}
				b.ReportMetric(float64(packets), "packets/1000writes")
			})
		}
	}
}

func smallWrites(b *testing.B, nagle bool, every time.Duration) int {
	cfg := DefaultConfig()
	cfg.Nagle = nagle
	s := newSim(b, cfg, linkConfig{delay: 10 * time.Millisecond}, 1)
	s.run(10*time.Second, func() bool {
		return s.conns[1] != nil && s.conns[0].State() == StateConnected && s.conns[1].confirmed
	})
	msg := []byte{0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0}
	const writes = 1000
	written, got := 0, 0
	next := s.now.Add(time.Millisecond)
	buf := make([]byte, 64<<10)
	before := s.sent[0][TypeData]
	s.app = func(s *sim) {
		for written < writes && !s.now.Before(next) {
			if n, err := s.conns[0].Write(msg, s.now); n != len(msg) || err != nil {
				b.Fatalf("write %d: %d %v", written, n, err)
			}
			written++
			next = next.Add(every)
			if every > 0 {
				s.wakes = append(s.wakes, next)
				break
			}
		}
		n, _ := s.conns[1].Read(buf, s.now)
		got += n
	}
	s.wakes = append(s.wakes, next)
	s.run(time.Minute, func() bool { return got == writes*len(msg) })
	return s.sent[0][TypeData] - before
}
