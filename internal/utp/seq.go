package utp

// Sequence and ack numbers are 16 bits and wrap. Like libtorrent's
// compare_less_wrap, a is before b when walking up from a reaches b in fewer
// steps than walking down; at exactly half the space neither is before the
// other, so a forged packet half a circle away is never taken as newer.

// SeqLess reports whether a comes before b modulo 2^16.
func SeqLess(a, b uint16) bool {
	return b-a < a-b
}

// SeqLessEq reports whether a == b or a comes before b modulo 2^16.
func SeqLessEq(a, b uint16) bool {
	return a == b || SeqLess(a, b)
}

// SeqDiff is the signed distance from b to a (a - b) in the range
// [-32768, 32767].
func SeqDiff(a, b uint16) int {
	return int(int16(a - b))
}

// timestampLess is compare_less_wrap over 32-bit microsecond timestamps,
// used by the delay base history.
func timestampLess(a, b uint32) bool {
	return b-a < a-b
}
