package magnet

import (
	"slices"
	"strconv"
	"strings"
)

// FileRange is an inclusive range of file indices from BEP 53's "so".
type FileRange struct {
	First, Last int
}

// Selected reports whether file index i is to be downloaded: true for every
// file when SelectOnly is empty.
func (m Magnet) Selected(i int) bool {
	if len(m.SelectOnly) == 0 {
		return true
	}
	for _, r := range m.SelectOnly {
		if i >= r.First && i <= r.Last {
			return true
		}
	}
	return false
}

// selection accumulates "so" values. Like libtorrent, a value with any
// character other than digits, '-' and ',' is ignored as a whole, and a bad
// token (empty side of a range, reversed range, index over MaxFileIndex) is
// skipped without spoiling the others.
type selection struct {
	rs []FileRange
}

func (s *selection) add(value string) {
	for i := 0; i < len(value); i++ {
		if c := value[i]; (c < '0' || c > '9') && c != '-' && c != ',' {
			return
		}
	}
	for tok := range strings.SplitSeq(value, ",") {
		first, last, isRange := strings.Cut(tok, "-")
		if !isRange {
			last = first
		}
		a, okA := fileIndex(first)
		b, okB := fileIndex(last)
		if okA && okB && a <= b {
			s.rs = append(s.rs, FileRange{a, b})
		}
	}
}

// fileIndex parses a non-empty run of digits no greater than MaxFileIndex.
func fileIndex(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > MaxFileIndex {
		return 0, false
	}
	return n, true
}

// ranges returns the union of what was added as sorted, disjoint,
// non-adjacent ranges, so equal selections format identically.
func (s *selection) ranges() []FileRange {
	if len(s.rs) == 0 {
		return nil
	}
	rs := slices.Clone(s.rs)
	slices.SortFunc(rs, func(a, b FileRange) int { return a.First - b.First })
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r.First <= last.Last+1 {
			last.Last = max(last.Last, r.Last)
			continue
		}
		out = append(out, r)
	}
	return out
}

// formatRanges writes ranges as BEP 53 does: "0,2,4-6".
func formatRanges(b *strings.Builder, rs []FileRange) {
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(r.First))
		if r.Last != r.First {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(r.Last))
		}
	}
}
