package utp

import "time"

// outPacket is a sent packet kept until it is acked (DATA, SYN and FIN; a
// STATE is never resent). Its payload stays in the send ring at off.
type outPacket struct {
	typ           PacketType
	used          bool // the slot holds a packet
	needResend    bool // counted out of bytesInFlight, to go again
	probe         bool
	seq           uint16
	off           uint64 // stream offset of the payload in the send ring
	length        int    // payload bytes
	size          int    // wire size when first sent: a resend must not grow
	sentAt        time.Time
	transmissions int
	freeResends   int // transmissions not counted towards giving up: fast resends, window probes
	// After a fast resend, resentBefore is the first sequence number sent
	// after it: packets from there on being acked while this one is not
	// tell that the resend was lost too. reresends counts such repeats.
	resentBefore uint16
	fastResent   bool
	reresends    int
}

// maxOutPackets bounds the packets in flight at once, whatever their size
// (the windows count bytes): it keeps sequence comparisons far from half
// the 16-bit space and the ring's memory bounded.
const maxOutPackets = 1 << 12

// outRing holds the unacked packets by sequence number in a power-of-two
// ring (libtorrent's packet_buffer): slot seq&mask. The live sequence
// numbers span at most maxOutPackets+1 (the FIN rides one past the data),
// and the ring grows to cover them, so a slot never holds two packets.
type outRing struct {
	pkts  []outPacket
	count int
}

func (r *outRing) len() int { return r.count }

// at returns the packet with sequence number seq, or nil.
func (r *outRing) at(seq uint16) *outPacket {
	if len(r.pkts) == 0 {
		return nil
	}
	p := &r.pkts[int(seq)&(len(r.pkts)-1)]
	if !p.used || p.seq != seq {
		return nil
	}
	return p
}

// insert makes a zeroed packet for seq, where oldest is the first sequence
// number that may still be held. The pointer is valid until the next insert.
func (r *outRing) insert(seq, oldest uint16) *outPacket {
	if span := int(seq-oldest) + 1; span > len(r.pkts) {
		r.grow(span)
	}
	p := &r.pkts[int(seq)&(len(r.pkts)-1)]
	*p = outPacket{used: true, seq: seq}
	r.count++
	return p
}

func (r *outRing) grow(span int) {
	size := max(len(r.pkts), 16)
	for size < span {
		size *= 2
	}
	old := r.pkts
	r.pkts = make([]outPacket, size)
	for i := range old {
		if old[i].used {
			r.pkts[int(old[i].seq)&(size-1)] = old[i]
		}
	}
}

func (r *outRing) remove(p *outPacket) {
	p.used = false
	r.count--
}
