package piecepicker

// order holds the pieces that may be started (wanted, not had, not being
// downloaded), grouped in buckets so that scanning from the front yields
// them by priority (highest first) and then availability (rarest first).
//
// Bucket b = (MaxPriority-prio)*stride + avail occupies
// pieces[start[b]:start[b+1]]. A change of availability by one moves a
// piece to the adjacent bucket with a single swap, so availability updates
// are O(1); inserting or removing a piece costs O(number of buckets), which
// happens once per started piece and is amortised over its blocks. Order
// inside a bucket is arbitrary; the picker breaks ties randomly when it
// scans a bucket.
type order struct {
	pieces []int32 // candidate pieces grouped by bucket
	pos    []int32 // pos[piece] = index in pieces, -1 if absent
	bucket []int32 // bucket[piece] = its bucket while present
	start  []int32 // start[b] = first index of bucket b; len = buckets+1
	stride int     // availability levels per priority level
}

// initialStride is the number of availability levels per priority before
// the first rebuild; it grows (doubling) with the number of peers.
const initialStride = 16

func newOrder(numPieces int) order {
	o := order{
		pos:    make([]int32, numPieces),
		bucket: make([]int32, numPieces),
		stride: initialStride,
	}
	for i := range o.pos {
		o.pos[i] = -1
	}
	o.start = make([]int32, MaxPriority*o.stride+1)
	return o
}

// key returns the bucket of a piece with priority prio (1..MaxPriority)
// and non-seed availability avail (0 <= avail < stride).
func (o *order) key(prio uint8, avail int32) int {
	return (MaxPriority-int(prio))*o.stride + int(avail)
}

func (o *order) numBuckets() int { return len(o.start) - 1 }

func (o *order) has(piece int) bool { return o.pos[piece] >= 0 }

func (o *order) swap(i, j int) {
	if i == j {
		return
	}
	a, b := o.pieces[i], o.pieces[j]
	o.pieces[i], o.pieces[j] = b, a
	o.pos[a], o.pos[b] = int32(j), int32(i)
}

// insert adds piece (not present) to bucket b by shifting every later
// bucket right by one slot (one swap per bucket).
func (o *order) insert(piece, b int) {
	i := len(o.pieces)
	o.pieces = append(o.pieces, int32(piece))
	o.pos[piece] = int32(i)
	o.bucket[piece] = int32(b)
	nb := o.numBuckets()
	o.start[nb]++
	for c := nb - 1; c > b; c-- {
		first := int(o.start[c])
		o.swap(i, first)
		i = first
		o.start[c]++
	}
}

// remove takes piece out of the order, if present.
func (o *order) remove(piece int) {
	i := int(o.pos[piece])
	if i < 0 {
		return
	}
	nb := o.numBuckets()
	for c := int(o.bucket[piece]); c < nb; c++ {
		last := int(o.start[c+1]) - 1
		o.swap(i, last)
		i = last
		o.start[c+1]--
	}
	o.pieces = o.pieces[:len(o.pieces)-1]
	o.pos[piece] = -1
}

// move puts a present piece into bucket b, with an O(1) fast path for the
// adjacent buckets that availability changes produce.
func (o *order) move(piece, b int) {
	cur := int(o.bucket[piece])
	switch b {
	case cur:
	case cur + 1:
		last := int(o.start[cur+1]) - 1
		o.swap(int(o.pos[piece]), last)
		o.start[cur+1]--
		o.bucket[piece] = int32(b)
	case cur - 1:
		first := int(o.start[cur])
		o.swap(int(o.pos[piece]), first)
		o.start[cur]++
		o.bucket[piece] = int32(b)
	default:
		o.remove(piece)
		o.insert(piece, b)
	}
}

// rebuild regroups every present piece with a new stride; keyOf gives the
// new bucket of a piece. It is a counting sort, O(pieces + buckets), and
// keeps the relative order of pieces within a bucket.
func (o *order) rebuild(stride int, keyOf func(piece int) int) {
	o.stride = stride
	nb := MaxPriority * stride
	count := make([]int32, nb+1)
	for _, pc := range o.pieces {
		b := keyOf(int(pc))
		o.bucket[pc] = int32(b)
		count[b+1]++
	}
	for b := 1; b <= nb; b++ {
		count[b] += count[b-1]
	}
	o.start = make([]int32, nb+1)
	copy(o.start, count)
	next := count[:nb]
	sorted := make([]int32, len(o.pieces))
	for _, pc := range o.pieces {
		b := o.bucket[pc]
		sorted[next[b]] = pc
		o.pos[pc] = next[b]
		next[b]++
	}
	o.pieces = sorted
}
