package ipfilter

import (
	"errors"
	"fmt"
	"slices"
)

// bound starts a run of keys that share flags; the run ends where the next
// bound starts (or at the largest key).
type bound[K any] struct {
	start K
	flags uint32
}

// rule is one add_rule: flags for every key in [first, last].
type rule[K any] struct {
	first, last K
	flags       uint32
}

// table maps every key of K to flags, as libtorrent's filter_impl does,
// but in a sorted slice rather than a tree: lookups are one binary search
// over contiguous memory, and the whole map is one allocation to copy.
//
// bounds are the points where the flags change. Before bounds[0] (or
// everywhere, when there are none) the flags are 0, so the zero table
// allows everything and needs no allocation. The slice is canonical: starts
// strictly increase and no bound has its predecessor's flags (the first
// one's predecessor is the implicit 0), so equal neighbours are always
// merged and two tables hold the same map exactly when their slices are
// equal.
type table[K key[K]] struct {
	bounds []bound[K]
}

// upper returns the number of bounds that start at or below k.
func (t *table[K]) upper(k K) int {
	lo, hi := 0, len(t.bounds)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if t.bounds[mid].start.cmp(k) <= 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// lower returns the number of bounds that start below k.
func (t *table[K]) lower(k K) int {
	lo, hi := 0, len(t.bounds)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if t.bounds[mid].start.cmp(k) < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// access returns the flags of k in O(log n).
func (t *table[K]) access(k K) uint32 {
	if i := t.upper(k); i > 0 {
		return t.bounds[i-1].flags
	}
	return 0
}

// add sets the flags of every key in [first, last] (first <= last),
// overwriting what the range covered. The bounds inside the range are
// replaced by at most two: one where the range starts (unless the run
// before it already has these flags) and one where it ends, restoring the
// flags that were there (unless they equal the new ones). It costs a
// binary search plus moving the bounds after the range, so adding in
// ascending order moves nothing; apply is the better way to add many
// rules in any order.
func (t *table[K]) add(first, last K, flags uint32) {
	b := t.bounds
	i := t.lower(first)
	j := t.upper(last)
	var before, after uint32 // the flags just below first, and at last
	if i > 0 {
		before = b[i-1].flags
	}
	if j > 0 {
		after = b[j-1].flags
	}
	var mid [2]bound[K]
	n := 0
	if flags != before {
		mid[n] = bound[K]{first, flags}
		n++
	}
	if !last.isMax() {
		next := last.next()
		switch {
		case j < len(b) && b[j].start == next:
			// A run already starts right after the range: it stays
			// unless it now continues the range's flags.
			if b[j].flags == flags {
				j++
			}
		case after != flags:
			mid[n] = bound[K]{next, after}
			n++
		}
	}
	t.bounds = slices.Replace(b, i, j, mid[:n]...)
}

// apply adds rules as if by add in their order (a later rule wins where
// they overlap), in O((n+m) log m) for n bounds and m rules instead of
// add's O(n) per rule.
func (t *table[K]) apply(rules []rule[K]) {
	if len(rules) < applyBatchMin {
		for _, r := range rules {
			t.add(r.first, r.last, r.flags)
		}
		return
	}
	t.sweep(rules)
}

// sweep is apply's algorithm, for batches of any size. It walks the keys
// where something changes (the rules' starts, the keys after their ends,
// the table's bounds) in ascending order, keeping the rules that cover the
// current key in a max-heap of their indices, so the newest covering rule
// is on top; a rule that ended is dropped from the heap only when it
// reaches the top. The flags of each run are the top rule's, or the old
// table's where no rule covers it.
func (t *table[K]) sweep(rules []rule[K]) {
	if len(rules) == 0 {
		return
	}
	events := make([]event[K], 0, 2*len(rules))
	for i, r := range rules {
		events = append(events, event[K]{r.first, int32(i), false})
		if !r.last.isMax() { // a rule that reaches the largest key never ends
			events = append(events, event[K]{r.last.next(), int32(i), true})
		}
	}
	sortEvents(events)

	old := t.bounds
	out := make([]bound[K], 0, len(old)+len(events))
	ended := make([]bool, len(rules))
	var active idxHeap
	var base, cur uint32 // the old table's flags here; the flags last emitted
	e, o := 0, 0
	for e < len(events) || o < len(old) {
		var at K // the next key where something changes
		switch {
		case e == len(events):
			at = old[o].start
		case o < len(old) && old[o].start.cmp(events[e].at) < 0:
			at = old[o].start
		default:
			at = events[e].at
		}
		if o < len(old) && old[o].start == at {
			base = old[o].flags
			o++
		}
		for ; e < len(events) && events[e].at == at; e++ {
			if events[e].end {
				ended[events[e].idx] = true
			} else {
				active.push(events[e].idx)
			}
		}
		for len(active) > 0 && ended[active[0]] {
			active.pop()
		}
		flags := base
		if len(active) > 0 {
			flags = rules[active[0]].flags
		}
		if flags != cur {
			out = append(out, bound[K]{at, flags})
			cur = flags
		}
	}
	// out was sized for the worst case: keep only what the table holds,
	// since it may live as long as the session.
	t.bounds = slices.Clone(out)
}

// event is where a rule starts covering keys (at its first key) or stops
// (at the key after its last).
type event[K any] struct {
	at  K
	idx int32 // the rule's index
	end bool
}

// sortEvents sorts events by key; the order among events at one key does
// not matter. IPv4 and port events are packed into integers and sorted
// without a comparison function: most of a blocklist is IPv4, and the sort
// was most of the time of loading one.
func sortEvents[K key[K]](events []event[K]) {
	switch ev := any(events).(type) {
	case []event[v4key]:
		sortPacked(ev, func(k v4key) uint64 { return uint64(k) }, func(x uint64) v4key { return v4key(x) })
	case []event[portKey]:
		sortPacked(ev, func(k portKey) uint64 { return uint64(k) }, func(x uint64) portKey { return portKey(x) })
	default:
		slices.SortFunc(events, func(a, b event[K]) int { return a.at.cmp(b.at) })
	}
}

// sortPacked sorts events whose keys fit in 32 bits by packing each into a
// uint64 (key<<32 | end<<31 | idx) and sorting those.
func sortPacked[K any](events []event[K], toInt func(K) uint64, fromInt func(uint64) K) {
	packed := make([]uint64, len(events))
	for i, e := range events {
		x := toInt(e.at)<<32 | uint64(uint32(e.idx))
		if e.end {
			x |= 1 << 31
		}
		packed[i] = x
	}
	slices.Sort(packed)
	for i, x := range packed {
		events[i] = event[K]{fromInt(x >> 32), int32(x & (1<<31 - 1)), x&(1<<31) != 0}
	}
}

// applyBatchMin is the batch size from which apply sweeps rather than
// adding rule by rule: below it the sweep's sorting and rebuilding of the
// whole table cost more than a few in-place edits.
const applyBatchMin = 16

// export calls fn for every run in ascending order, the implicit ones
// with flags 0 included, so the runs cover every key exactly once.
func (t *table[K]) export(fn func(first, last K, flags uint32)) {
	var zero K
	largest := zero.prev()
	if len(t.bounds) == 0 {
		fn(zero, largest, 0)
		return
	}
	if first := t.bounds[0].start; first != zero {
		fn(zero, first.prev(), 0)
	}
	for i, b := range t.bounds {
		last := largest
		if i+1 < len(t.bounds) {
			last = t.bounds[i+1].start.prev()
		}
		fn(b.start, last, b.flags)
	}
}

// clone returns a table that shares nothing with t.
func (t *table[K]) clone() table[K] {
	return table[K]{bounds: slices.Clone(t.bounds)}
}

// errNotCanonical is returned by check.
var errNotCanonical = errors.New("ipfilter: table not canonical")

// check verifies the invariants documented on table (tests and fuzzing).
func (t *table[K]) check() error {
	var prev uint32
	for i, b := range t.bounds {
		if i > 0 && t.bounds[i-1].start.cmp(b.start) >= 0 {
			return fmt.Errorf("%w: bound %d starts at or below bound %d", errNotCanonical, i, i-1)
		}
		if b.flags == prev {
			return fmt.Errorf("%w: bound %d repeats flags %#x", errNotCanonical, i, b.flags)
		}
		prev = b.flags
	}
	return nil
}

// idxHeap is a max-heap of rule indices.
type idxHeap []int32

func (h *idxHeap) push(x int32) {
	a := append(*h, x)
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if a[p] >= a[i] {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
	*h = a
}

func (h *idxHeap) pop() {
	a := *h
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l, big := 2*i+1, i
		if l < n && a[l] > a[big] {
			big = l
		}
		if r := l + 1; r < n && a[r] > a[big] {
			big = r
		}
		if big == i {
			break
		}
		a[i], a[big] = a[big], a[i]
		i = big
	}
	*h = a
}
