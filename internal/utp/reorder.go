package utp

// reorderBuf holds payloads that arrived ahead of a missing packet, by
// sequence number in a power-of-two ring that grows to the span it must
// cover (at most Conn.maxReorder). Payloads live in pooled buffers: a
// packet arriving out of order costs a copy, not an allocation.
type reorderBuf struct {
	slots []reorderSlot
	count int
	bytes int    // payload bytes held
	high  uint16 // highest sequence number held, when count > 0
}

type reorderSlot struct {
	buf *[]byte // nil: empty
	seq uint16
}

// has reports whether seq is held.
func (r *reorderBuf) has(seq uint16) bool {
	if r.count == 0 {
		return false
	}
	s := &r.slots[int(seq)&(len(r.slots)-1)]
	return s.buf != nil && s.seq == seq
}

// put stores a copy of payload as seq; first is the lowest sequence number
// that may be held (ack_nr+2). It reports false if seq is already held.
func (r *reorderBuf) put(seq, first uint16, payload []byte) bool {
	if r.has(seq) {
		return false
	}
	span := int(seq-first) + 1
	if r.count > 0 {
		span = max(span, int(r.high-first)+1)
	}
	if span > len(r.slots) {
		r.grow(span)
	}
	b := getBuf(len(payload))
	*b = append(*b, payload...)
	r.slots[int(seq)&(len(r.slots)-1)] = reorderSlot{buf: b, seq: seq}
	if r.count == 0 || SeqLess(r.high, seq) {
		r.high = seq
	}
	r.count++
	r.bytes += len(payload)
	return true
}

func (r *reorderBuf) grow(span int) {
	size := max(len(r.slots), 16)
	for size < span {
		size *= 2
	}
	old := r.slots
	r.slots = make([]reorderSlot, size)
	for _, s := range old {
		if s.buf != nil {
			r.slots[int(s.seq)&(size-1)] = s
		}
	}
}

// take removes seq and returns its buffer (nil if not held); the caller
// gives it back with putBuf once copied out.
func (r *reorderBuf) take(seq uint16) *[]byte {
	if !r.has(seq) {
		return nil
	}
	s := &r.slots[int(seq)&(len(r.slots)-1)]
	b := s.buf
	s.buf = nil
	r.count--
	r.bytes -= len(*b)
	return b
}

// clear drops everything held.
func (r *reorderBuf) clear() {
	for i := range r.slots {
		if b := r.slots[i].buf; b != nil {
			putBuf(b)
			r.slots[i].buf = nil
		}
	}
	r.count, r.bytes = 0, 0
}

// each calls f for every payload held (for invariant checks).
func (r *reorderBuf) each(f func(seq uint16, payload []byte)) {
	for _, s := range r.slots {
		if s.buf != nil {
			f(s.seq, *s.buf)
		}
	}
}
