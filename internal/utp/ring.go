package utp

// byteRing is a FIFO of bytes in one power-of-two buffer, addressed by
// absolute stream offsets (start, end) that only grow: the send side keeps
// sent bytes there until they are acked, and resends read them back by
// offset. It grows (by doubling, copying once) up to what it must hold, so
// a connection that moves little data holds little.
type byteRing struct {
	buf        []byte
	start, end uint64 // stream offsets of the first byte held and of the byte after the last
}

// minRing is the first allocation: a few packets.
const minRing = 4 << 10

func (r *byteRing) len() int { return int(r.end - r.start) }

// reserve makes room for n more bytes.
func (r *byteRing) reserve(n int) {
	need := r.len() + n
	if need <= len(r.buf) {
		return
	}
	size := max(len(r.buf), minRing)
	for size < need {
		size *= 2
	}
	old := r.buf
	r.buf = make([]byte, size)
	if len(old) > 0 {
		a, b := ringSlices(old, r.start, r.len())
		r.put(r.start, a)
		r.put(r.start+uint64(len(a)), b)
	}
}

// put copies b into the ring at stream offset off (room must exist).
func (r *byteRing) put(off uint64, b []byte) {
	i := int(off & uint64(len(r.buf)-1))
	n := copy(r.buf[i:], b)
	copy(r.buf, b[n:])
}

// push appends b, growing the ring as needed.
func (r *byteRing) push(b []byte) {
	if len(b) == 0 {
		return
	}
	r.reserve(len(b))
	r.put(r.end, b)
	r.end += uint64(len(b))
}

// slices returns the n bytes at stream offset off as at most two slices
// (the second is non-empty when they wrap round the end of the buffer).
// They alias the ring: valid until it is written or grown.
func (r *byteRing) slices(off uint64, n int) ([]byte, []byte) {
	return ringSlices(r.buf, off, n)
}

func ringSlices(buf []byte, off uint64, n int) ([]byte, []byte) {
	if n == 0 {
		return nil, nil
	}
	i := int(off & uint64(len(buf)-1))
	if i+n <= len(buf) {
		return buf[i : i+n], nil
	}
	return buf[i:], buf[:n-(len(buf)-i)]
}

// read moves up to len(dst) bytes from the front into dst.
func (r *byteRing) read(dst []byte) int {
	n := min(len(dst), r.len())
	a, b := r.slices(r.start, n)
	copy(dst[copy(dst, a):], b)
	r.start += uint64(n)
	return n
}

// releaseTo forgets every byte before stream offset off.
func (r *byteRing) releaseTo(off uint64) {
	if off-r.start <= r.end-r.start {
		r.start = off
	}
}

// truncate forgets every byte from stream offset off on.
func (r *byteRing) truncate(off uint64) {
	if off-r.start <= r.end-r.start {
		r.end = off
	}
}

// reset empties the ring and gives its buffer up.
func (r *byteRing) reset() {
	r.buf = nil
	r.start = r.end
}
