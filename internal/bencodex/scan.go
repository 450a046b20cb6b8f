package bencodex

import (
	"fmt"
	"math"
)

// Scan validates data under lim and returns the length of the first complete
// value (its end offset). Errors wrap one of the package sentinels and say the
// byte offset at which the problem was found.
//
// Scan is iterative (an explicit stack bounded by lim.MaxDepth, never the Go
// call stack), runs in O(len(data)) and never allocates in proportion to a
// declared string length, so a "999999999:" prefix fails immediately.
func Scan(data []byte, lim Limits) (int, error) {
	lim = lim.effective()
	if int64(len(data)) > lim.MaxSize {
		return 0, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), lim.MaxSize)
	}
	end, err := scanValue(data, 0, lim)
	if err != nil {
		return 0, err
	}
	if end != len(data) && !lim.AllowTrailing {
		return 0, errAt(ErrTrailing, end, "%d unused bytes", len(data)-end)
	}
	return end, nil
}

// errAt builds an error wrapping sentinel that names the byte offset.
func errAt(sentinel error, off int, format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", sentinel, off, fmt.Sprintf(format, args...))
}

// Container states kept on the scan stack.
const (
	inList      byte = iota // inside a list
	inDictKey               // inside a dict, next item must be a key (or 'e')
	inDictValue             // inside a dict, next item must be a value
)

// scanValue validates the single value starting at data[start] and returns the
// offset just past it. lim must already be effective.
func scanValue(data []byte, start int, lim Limits) (int, error) {
	// One state per open container; depth <= lim.MaxDepth. The array
	// keeps the usual depths (a .torrent's is 4) off the heap.
	var stackArr [16]byte
	stack := stackArr[:0]
	items := 0
	pos := start
	for {
		if pos >= len(data) {
			return 0, errAt(ErrSyntax, pos, "unexpected end of input")
		}
		c := data[pos]
		top := byte(0)
		if n := len(stack); n > 0 {
			top = stack[n-1]
		}
		if c == 'e' && len(stack) > 0 {
			if top == inDictValue {
				return 0, errAt(ErrSyntax, pos, "dict key without value")
			}
			stack = stack[:len(stack)-1]
			pos++
		} else {
			if len(stack) > 0 && top == inDictKey && (c < '0' || c > '9') {
				return 0, errAt(ErrSyntax, pos, "dict key is not a string (got %q)", c)
			}
			items++
			if items > lim.MaxItems {
				return 0, errAt(ErrTooManyItems, pos, "more than %d values", lim.MaxItems)
			}
			switch {
			case c == 'i':
				end, err := scanInt(data, pos, lim.AllowNonCanonical)
				if err != nil {
					return 0, err
				}
				pos = end
			case c == 'l' || c == 'd':
				if len(stack) >= lim.MaxDepth {
					return 0, errAt(ErrTooDeep, pos, "deeper than %d", lim.MaxDepth)
				}
				if c == 'l' {
					stack = append(stack, inList)
				} else {
					stack = append(stack, inDictKey)
				}
				pos++
				continue // a container is complete only at its 'e'
			case c >= '0' && c <= '9':
				end, err := scanString(data, pos, lim.MaxStringLen, lim.AllowNonCanonical)
				if err != nil {
					return 0, err
				}
				pos = end
			default:
				return 0, errAt(ErrSyntax, pos, "invalid value prefix %q", c)
			}
		}
		// A value just completed at pos.
		if len(stack) == 0 {
			return pos, nil
		}
		switch n := len(stack) - 1; stack[n] {
		case inDictKey:
			stack[n] = inDictValue
		case inDictValue:
			stack[n] = inDictKey
		}
	}
}

// scanInt validates "i<int>e" at data[pos] and returns the offset past 'e'.
// lenient accepts leading zeros and "-0".
func scanInt(data []byte, pos int, lenient bool) (int, error) {
	start := pos
	pos++ // 'i'
	neg := false
	if pos < len(data) && data[pos] == '-' {
		neg = true
		pos++
	}
	digits := pos
	v, pos, ovf := parseDigits(data, pos)
	if pos >= len(data) {
		return 0, errAt(ErrSyntax, pos, "unterminated integer")
	}
	if data[pos] != 'e' {
		return 0, errAt(ErrSyntax, pos, "invalid byte %q in integer", data[pos])
	}
	n := pos - digits
	switch {
	case n == 0:
		return 0, errAt(ErrSyntax, start, "integer without digits")
	case !lenient && data[digits] == '0' && (n > 1 || neg):
		return 0, errAt(ErrSyntax, start, "non-canonical integer (leading zero or -0)")
	case ovf || v > math.MaxInt64+1 || (!neg && v > math.MaxInt64):
		return 0, errAt(ErrIntOverflow, start, "integer out of int64 range")
	}
	return pos + 1, nil
}

// scanString validates "<len>:<bytes>" at data[pos] and returns the offset
// past the bytes. It never allocates: the length is only compared. lenient
// accepts a length with leading zeros.
func scanString(data []byte, pos int, maxLen int64, lenient bool) (int, error) {
	start := pos
	v, pos, ovf := parseDigits(data, pos)
	if pos >= len(data) {
		return 0, errAt(ErrSyntax, pos, "unterminated string length")
	}
	if data[pos] != ':' {
		return 0, errAt(ErrSyntax, pos, "invalid byte %q in string length", data[pos])
	}
	if !lenient && data[start] == '0' && pos-start > 1 {
		return 0, errAt(ErrSyntax, start, "string length with leading zero")
	}
	if ovf || v > uint64(maxLen) {
		return 0, errAt(ErrStringTooLong, start, "string longer than %d bytes", maxLen)
	}
	pos++ // ':'
	if v > uint64(len(data)-pos) {
		return 0, errAt(ErrSyntax, start, "string of %d bytes runs past end of input", v)
	}
	return pos + int(v), nil
}

// parseDigits reads decimal digits from data[pos:], returning their value,
// the offset of the first non-digit and whether the value overflowed uint64.
func parseDigits(data []byte, pos int) (v uint64, end int, overflow bool) {
	for ; pos < len(data); pos++ {
		c := data[pos]
		if c < '0' || c > '9' {
			break
		}
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			overflow = true
		} else if !overflow {
			v = v*10 + d
		}
	}
	return v, pos, overflow
}
