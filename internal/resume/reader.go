package resume

import (
	"bytes"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// reader takes typed values out of the top-level dictionary. The first error
// sticks and later calls return zero values, so Decode reads like a list of
// fields instead of a ladder of error checks.
type reader struct {
	m   map[string][]byte // raw values by key, first occurrence
	err error
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// str returns the string at key, "" if absent.
func (r *reader) str(key string) string {
	raw, ok := r.m[key]
	if !ok || r.err != nil {
		return ""
	}
	s, ok := bencodex.String(raw)
	if !ok {
		r.fail(malformed(key, "not a string"))
	}
	return string(s)
}

// int returns the integer at key, def if absent; it must lie in [lo, hi].
func (r *reader) int(key string, def, lo, hi int64) int64 {
	raw, ok := r.m[key]
	if !ok || r.err != nil {
		return def
	}
	return r.intValue(key, raw, lo, hi)
}

// intValue checks that raw is an integer in [lo, hi]; key names it in errors.
func (r *reader) intValue(key string, raw []byte, lo, hi int64) int64 {
	v, ok := bencodex.Int(raw)
	switch {
	case !ok && len(raw) > 0 && raw[0] == 'i':
		r.fail(malformed(key, "integer overflows int64"))
	case !ok:
		r.fail(malformed(key, "not an integer"))
	case v < lo || v > hi:
		r.fail(malformed(key, "%d is outside [%d, %d]", v, lo, hi))
	default:
		return v
	}
	return 0
}

// flag returns the boolean at key (any non-zero integer is true), def if
// absent.
func (r *reader) flag(key string, def bool) bool {
	raw, ok := r.m[key]
	if !ok || r.err != nil {
		return def
	}
	v, ok := bencodex.Int(raw)
	if !ok {
		r.fail(malformed(key, "not an integer"))
	}
	return v != 0
}

// byteString returns a copy of the string at key, every byte at most max;
// nil if absent or empty.
func (r *reader) byteString(key string, max byte) []byte {
	raw, ok := r.m[key]
	if !ok || r.err != nil {
		return nil
	}
	s, ok := bencodex.String(raw)
	if !ok {
		r.fail(malformed(key, "not a string"))
		return nil
	}
	for i, c := range s {
		if c > max {
			r.fail(malformed(key, "byte %d is %d, more than %d", i, c, max))
			return nil
		}
	}
	if len(s) == 0 {
		return nil
	}
	return bytes.Clone(s)
}

// list calls each for every element of the list at key, refusing more than
// max elements. It returns whether the key is present (and a list).
func (r *reader) list(key string, max int, each func(i int, raw []byte) error) bool {
	raw, ok := r.m[key]
	if !ok || r.err != nil {
		return false
	}
	n := 0
	isList, err := bencodex.ListEach(raw, func(e []byte) (bool, error) {
		if n >= max {
			return false, malformed(key, "more than %d entries", max)
		}
		if err := each(n, e); err != nil {
			return false, err
		}
		n++
		return true, nil
	})
	if !isList {
		r.fail(malformed(key, "not a list"))
		return false
	}
	if err != nil {
		r.fail(err)
		return false
	}
	return true
}

// stringList returns the list of strings at key. Absent gives nil; an empty
// list gives nil too unless keepEmpty, where it gives a non-nil empty slice
// (see Data for why some lists need the difference).
func (r *reader) stringList(key string, max int, keepEmpty bool) []string {
	var out []string
	present := r.list(key, max, func(i int, raw []byte) error {
		s, ok := bencodex.String(raw)
		if !ok {
			return malformed(key, "entry %d is not a string", i)
		}
		out = append(out, string(s))
		return nil
	})
	if present && keepEmpty && out == nil {
		out = []string{}
	}
	return out
}

// priorities returns the list of priorities (0..7) at key, nil if absent or
// empty.
func (r *reader) priorities(key string) []int {
	var out []int
	r.list(key, maxFiles, func(i int, raw []byte) error {
		v, ok := bencodex.Int(raw)
		if !ok || v < 0 || v > maxPriority {
			return malformed(key, "entry %d is not a priority 0..%d", i, maxPriority)
		}
		out = append(out, int(v))
		return nil
	})
	return out
}
