package bencodex

import "strconv"

// The helpers in this file walk bencode that has already been validated (by
// Scan, directly or as part of an enclosing value) without building Go values:
// they hand out sub-slices of the input, so taking apart a 60 MB .torrent
// costs no copies. They still return ErrSyntax rather than panicking if given
// invalid data.

// walkLimits accepts anything Scan with any limits might have accepted: the
// data is trusted to be bounded already and is only being re-walked.
func walkLimits(data []byte) Limits {
	return Limits{
		MaxDepth:          len(data) + 1,
		MaxStringLen:      int64(len(data)) + 1,
		MaxItems:          len(data) + 1,
		MaxSize:           int64(len(data)) + 1,
		AllowNonCanonical: true,
	}
}

// DictValue returns the raw bytes (exactly as they appear in data) of key in
// the top-level dictionary of data, which must already be valid (e.g. after
// Scan). ok is false if key is absent or data is not a dict. If key occurs
// more than once, the first occurrence wins, as in libtorrent.
func DictValue(data []byte, key string) (raw []byte, ok bool, err error) {
	isDict, err := DictEach(data, func(k string, v []byte) (bool, error) {
		if k == key {
			raw, ok = v, true
			return false, nil
		}
		return true, nil
	})
	if err != nil || !isDict {
		return nil, false, err
	}
	return raw, ok, nil
}

// DictEach calls fn for each key and raw value of the dictionary that data
// starts with, in input order, until fn returns false or an error (which is
// returned as is). isDict is false, and fn is not called, if data does not
// start with a dict.
func DictEach(data []byte, fn func(key string, raw []byte) (more bool, err error)) (isDict bool, err error) {
	return dictEach(data, func(key, raw []byte) (bool, error) { return fn(string(key), raw) })
}

// dictEach walks the dictionary data starts with (DictEach, DictEachRaw).
func dictEach(data []byte, fn func(key, raw []byte) (more bool, err error)) (isDict bool, err error) {
	if len(data) == 0 || data[0] != 'd' {
		return false, nil
	}
	lim := walkLimits(data)
	pos := 1
	for {
		if pos >= len(data) {
			return true, errAt(ErrSyntax, pos, "unterminated dict")
		}
		if data[pos] == 'e' {
			return true, nil
		}
		kEnd, err := scanString(data, pos, lim.MaxStringLen, true)
		if err != nil {
			return true, err
		}
		key := data[pos:kEnd]
		key = key[indexColon(key)+1:]
		vEnd, err := scanValue(data, kEnd, lim)
		if err != nil {
			return true, err
		}
		more, err := fn(key, data[kEnd:vEnd])
		if err != nil || !more {
			return true, err
		}
		pos = vEnd
	}
}

// ListEach calls fn for the raw bytes of each element of the list that data
// starts with, until fn returns false or an error (returned as is). isList is
// false, and fn is not called, if data does not start with a list.
func ListEach(data []byte, fn func(raw []byte) (more bool, err error)) (isList bool, err error) {
	if len(data) == 0 || data[0] != 'l' {
		return false, nil
	}
	lim := walkLimits(data)
	pos := 1
	for {
		if pos >= len(data) {
			return true, errAt(ErrSyntax, pos, "unterminated list")
		}
		if data[pos] == 'e' {
			return true, nil
		}
		end, err := scanValue(data, pos, lim)
		if err != nil {
			return true, err
		}
		more, err := fn(data[pos:end])
		if err != nil || !more {
			return true, err
		}
		pos = end
	}
}

// String returns the contents of raw if it is exactly one bencode byte
// string (a sub-slice of raw, not a copy).
func String(raw []byte) ([]byte, bool) {
	if len(raw) == 0 || raw[0] < '0' || raw[0] > '9' {
		return nil, false
	}
	end, err := scanString(raw, 0, int64(len(raw)), true)
	if err != nil || end != len(raw) {
		return nil, false
	}
	return raw[indexColon(raw)+1:], true
}

// Int returns the value of raw if it is exactly one bencode integer that
// fits in an int64 (leading zeros and "-0" accepted, as by a Scan with
// AllowNonCanonical).
func Int(raw []byte) (int64, bool) {
	if len(raw) == 0 || raw[0] != 'i' {
		return 0, false
	}
	end, err := scanInt(raw, 0, true)
	if err != nil || end != len(raw) {
		return 0, false
	}
	n, err := strconv.ParseInt(string(raw[1:len(raw)-1]), 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// indexColon returns the index of the first ':' in b, or -1. Strings start
// with their length, so this finds the end of the length prefix.
func indexColon(b []byte) int {
	for i, c := range b {
		if c == ':' {
			return i
		}
	}
	return -1
}

// DictEachRaw is DictEach with the key as a sub-slice of data, so that a
// caller that only compares keys allocates nothing for them.
func DictEachRaw(data []byte, fn func(key, raw []byte) (more bool, err error)) (isDict bool, err error) {
	return dictEach(data, fn)
}
