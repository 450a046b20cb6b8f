package utp

import (
	"errors"
	"net"
	"net/netip"
	"sync"
)

const (
	// rxBatchBytes and rxBatchDatagrams bound one batch: what the owner
	// takes in one go, and what the reader may get ahead of it by (two
	// batches; beyond that the kernel's buffer holds the rest).
	rxBatchBytes     = 512 << 10
	rxBatchDatagrams = 512
	// maxDatagram is the largest datagram read.
	maxDatagram = 64 << 10
)

// rxBatch holds datagrams back to back: datagram i is buf[ends[i-1]:ends[i]].
type rxBatch struct {
	buf  []byte
	ends []int
	from []netip.AddrPort
}

func newRxBatch() *rxBatch {
	return &rxBatch{
		buf:  make([]byte, 0, rxBatchBytes),
		ends: make([]int, 0, rxBatchDatagrams),
		from: make([]netip.AddrPort, 0, rxBatchDatagrams),
	}
}

func (b *rxBatch) fits(n int) bool {
	return len(b.ends) < rxBatchDatagrams && len(b.buf)+n <= cap(b.buf)
}

func (b *rxBatch) reset() {
	b.buf, b.ends, b.from = b.buf[:0], b.ends[:0], b.from[:0]
}

// rxQueue passes datagrams from the reader to the owner. The reader
// appends to the batch being filled and pokes ready; the owner swaps it for
// the spare when it gets round to it, so a batch is whatever arrived while
// the owner was busy: one datagram when idle, many under load. That is
// what makes the deferred ACK one per batch.
type rxQueue struct {
	mu    sync.Mutex
	cur   *rxBatch // being filled by the reader
	spare *rxBatch // nil while the owner holds it
	ready chan struct{}
	room  chan struct{}
}

func (q *rxQueue) init() {
	q.cur, q.spare = newRxBatch(), newRxBatch()
	q.ready = make(chan struct{}, 1)
	q.room = make(chan struct{}, 1)
}

// push copies the datagrams of b, seg bytes each (the last may be
// shorter; seg <= 0: b is one datagram), into the batch being filled,
// waiting while it is full. A GRO read holds up to 44 loopback datagrams:
// they go in under one lock and one wakeup of the owner, not one each.
// It reports false when stop closed first.
func (q *rxQueue) push(b []byte, seg int, from netip.AddrPort, stop <-chan struct{}) bool {
	// left counts the datagrams still to go, so that an empty datagram
	// is passed on like any other.
	left := 1
	if seg > 0 && len(b) > seg {
		left = (len(b) + seg - 1) / seg
	} else {
		seg = len(b)
	}
	for {
		q.mu.Lock()
		moved := false
		for left > 0 {
			d := b[:min(seg, len(b))]
			if !q.cur.fits(len(d)) {
				break
			}
			q.cur.buf = append(q.cur.buf, d...)
			q.cur.ends = append(q.cur.ends, len(q.cur.buf))
			q.cur.from = append(q.cur.from, from)
			b = b[len(d):]
			left--
			moved = true
		}
		q.mu.Unlock()
		if moved {
			signal(q.ready)
		}
		if left == 0 {
			return true
		}
		select {
		case <-q.room:
		case <-stop:
			return false
		}
	}
}

// take gives the owner the filled batch (nil when empty).
func (q *rxQueue) take() *rxBatch {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.cur.ends) == 0 || q.spare == nil {
		return nil
	}
	b := q.cur
	q.cur, q.spare = q.spare, nil
	signal(q.room)
	return b
}

// giveBack returns a batch the owner is done with.
func (q *rxQueue) giveBack(b *rxBatch) {
	b.reset()
	q.mu.Lock()
	q.spare = b
	pending := len(q.cur.ends) > 0
	q.mu.Unlock()
	if pending {
		signal(q.ready)
	}
}

// batchIO reads and writes many datagrams per system call.
type batchIO interface {
	// read waits for datagrams and hands each read to deliver: b holds
	// datagrams of seg bytes each (a GRO read; seg <= 0: one datagram).
	// It returns an error once the socket is closed (or deliver refused).
	read(deliver func(b []byte, seg int, from netip.AddrPort) bool, drops func(uint32)) error
	// write sends out, counting DATA packets and failures in n.
	write(out []outDatagram, n *counters)
}

// readLoop is the reader goroutine: it reads until the socket is closed.
func (s *Socket) readLoop() {
	defer close(s.readerDone)
	if s.bio != nil {
		deliver := func(b []byte, seg int, from netip.AddrPort) bool { return s.rx.push(b, seg, from, s.closing) }
		drops := func(d uint32) { s.kernelDrops.Store(uint64(d)) }
		for {
			if err := s.bio.read(deliver, drops); err != nil {
				return
			}
		}
	}
	buf := make([]byte, maxDatagram)
	oob := make([]byte, oobSize)
	for {
		n, oobn, _, from, err := s.pc.ReadMsgUDPAddrPort(buf, oob)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			select {
			case <-s.closing:
				return
			default:
				continue
			}
		}
		if d, ok := kernelDrops(oob[:oobn]); ok {
			s.kernelDrops.Store(uint64(d))
		}
		if !s.rx.push(buf[:n], 0, unmapAddrPort(from), s.closing) {
			return
		}
	}
}

// unmapAddrPort gives IPv4 peers on a dual-stack socket their IPv4 form,
// so one peer has one key whichever way its address was written.
func unmapAddrPort(a netip.AddrPort) netip.AddrPort {
	if a.Addr().Is4In6() {
		return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
	}
	return a
}

// signal wakes whoever waits on c (a channel of capacity 1), once.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// writeDatagrams sends each datagram and returns how many carried data.
func writeDatagrams(pc *net.UDPConn, out []outDatagram, errs *uint64) uint64 {
	var data uint64
	for _, d := range out {
		if _, err := pc.WriteToUDPAddrPort(d.b, d.to); err != nil {
			*errs++
			continue
		}
		if PacketType(d.b[0]>>4) == TypeData {
			data++
		}
	}
	return data
}
