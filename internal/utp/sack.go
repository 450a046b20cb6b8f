package utp

// A SACK bitmask describes the packets after AckNr+1 (which is missing, or
// AckNr would have advanced): bit i, LSB first within each byte,
// acknowledges AckNr+2+i.

// SACKSeq is the sequence number bit i of a SACK after ackNr stands for.
func SACKSeq(ackNr uint16, i int) uint16 {
	return ackNr + 2 + uint16(i)
}

// SACKHas reports whether the bitmask acknowledges seq.
func SACKHas(mask []byte, ackNr, seq uint16) bool {
	i := int(seq - ackNr - 2)
	return i < len(mask)*8 && mask[i/8]&(1<<(i%8)) != 0
}

// AppendSACK writes a bitmask covering bits packets after ackNr (rounded up
// to whole 4-byte words, at most 252 bytes), setting the bit of every
// sequence number has reports as received.
func AppendSACK(dst []byte, ackNr uint16, bits int, has func(seq uint16) bool) []byte {
	n := sackWireLen((bits + 7) / 8)
	for i := 0; i < n; i++ {
		var b byte
		for j := 0; j < 8; j++ {
			if has(SACKSeq(ackNr, i*8+j)) {
				b |= 1 << j
			}
		}
		dst = append(dst, b)
	}
	return dst
}
