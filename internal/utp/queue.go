package utp

// byteQueue is a FIFO of bytes kept as the chunks they arrived in, so
// appending a packet's payload costs one copy and reading drains from the
// front without moving the rest.
type byteQueue struct {
	chunks [][]byte
	head   int // offset into chunks[0]
	n      int
}

func (q *byteQueue) len() int { return q.n }

// push appends b (the queue keeps b; callers pass a copy they own).
func (q *byteQueue) push(b []byte) {
	if len(b) == 0 {
		return
	}
	q.chunks = append(q.chunks, b)
	q.n += len(b)
}

// read moves up to len(dst) bytes out of the queue.
func (q *byteQueue) read(dst []byte) int {
	n := 0
	for n < len(dst) && len(q.chunks) > 0 {
		c := q.chunks[0][q.head:]
		k := copy(dst[n:], c)
		n += k
		q.head += k
		if k == len(c) {
			q.chunks[0] = nil
			q.chunks = q.chunks[1:]
			q.head = 0
		}
	}
	q.n -= n
	return n
}

// peek returns up to n bytes from the front as one slice, copying only when
// they span chunks.
func (q *byteQueue) peek(n int) []byte {
	n = min(n, q.n)
	if n == 0 {
		return nil
	}
	if c := q.chunks[0][q.head:]; len(c) >= n {
		return c[:n:n]
	}
	out := make([]byte, 0, n)
	for i, off := 0, q.head; len(out) < n; i, off = i+1, 0 {
		c := q.chunks[i][off:]
		out = append(out, c[:min(len(c), n-len(out))]...)
	}
	return out
}

// discard drops n bytes from the front.
func (q *byteQueue) discard(n int) {
	for n > 0 && len(q.chunks) > 0 {
		c := q.chunks[0][q.head:]
		if n < len(c) {
			q.head += n
			q.n -= n
			return
		}
		n -= len(c)
		q.n -= len(c)
		q.chunks[0] = nil
		q.chunks = q.chunks[1:]
		q.head = 0
	}
}
