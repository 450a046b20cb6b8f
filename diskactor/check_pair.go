package diskactor

// checkPairs hashes whole pieces of the job two at a time, from piece i:
// up to pairs pairs, as many as one read holds when pieces are small, else
// one pair read a slice of each piece at a time (each read stays in L2
// with the other). It returns how many pieces it covered, and false,
// having recorded nothing for them, when a read failed: the caller checks
// those pieces again on the single-stream path, which knows which file
// failed and what that means.
func (w *worker) checkPairs(j *checkJob, i, pairs int, r *checkReader) (int, bool) {
	l := j.pieceLen
	off := j.offset + int64(i)*l
	if 2*l <= checkReadSize {
		pairs = min(pairs, int(checkReadSize/(2*l)))
		buf := w.scratch[:int64(pairs)*2*l]
		if got, err := r.read(buf, off); err != nil || got != len(buf) {
			return 2 * pairs, false
		}
		for q := range pairs {
			a := buf[int64(2*q)*l:]
			w.pair.Reset()
			w.pair.Write(a[:l], a[l:2*l])
			w.recordPair(j, i+2*q)
		}
		return 2 * pairs, true
	}
	bufA, bufB := w.scratch[:checkReadSize], w.scratch[checkReadSize:2*checkReadSize]
	w.pair.Reset()
	for k := int64(0); k < l; k += checkReadSize {
		n := min(checkReadSize, l-k)
		if got, err := r.read(bufA[:n], off+k); err != nil || got != int(n) {
			return 2, false
		}
		if got, err := r.read(bufB[:n], off+l+k); err != nil || got != int(n) {
			return 2, false
		}
		w.pair.Write(bufA[:n], bufB[:n])
	}
	w.recordPair(j, i)
	return 2, true
}

// recordPair compares the pair's sums with pieces i and i+1.
func (w *worker) recordPair(j *checkJob, i int) {
	sa, sb := w.pair.Sums()
	j.ok[i] = sa == j.expected[i]
	j.ok[i+1] = sb == j.expected[i+1]
}
