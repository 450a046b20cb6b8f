package utp

import (
	"bytes"
	"testing"
	"time"
)

// FuzzParsePacket: parsing never panics, and whatever parses re-encodes to a
// packet that parses to the same thing (SACK padding aside) and to the same
// bytes when encoded again.
func FuzzParsePacket(f *testing.F) {
	f.Add(libtorrentSYN)
	f.Add([]byte{})
	for _, p := range []Packet{
		{Header: Header{Type: TypeData, SeqNr: 1, AckNr: 2}, Payload: []byte("x")},
		{Header: Header{Type: TypeState}, SACK: []byte{1, 2, 3, 4}, CloseReason: 5, HasCloseReason: true},
	} {
		f.Add(p.AppendTo(nil))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePacket(data)
		if err != nil {
			return
		}
		once := p.AppendTo(nil)
		if len(once) != p.EncodedLen() {
			t.Fatalf("EncodedLen %d, wrote %d", p.EncodedLen(), len(once))
		}
		q, err := ParsePacket(once)
		if err != nil {
			t.Fatalf("re-encoding does not parse: %v", err)
		}
		if len(p.SACK) <= 252 && !packetsEqual(p, q) {
			t.Fatalf("round trip changed the packet:\n%+v\n%+v", p, q)
		}
		if twice := q.AppendTo(nil); !bytes.Equal(once, twice) {
			t.Fatalf("encoding is not stable: %x then %x", once, twice)
		}
	})
}

// FuzzConnIncoming feeds a connected Conn arbitrary packets (split from
// the input: a length byte, then that many bytes), most of them addressed
// to it so that they get past the connection-id check, interleaved with
// writes, reads and timer runs. The Conn must not panic and its
// bookkeeping must stay consistent.
func FuzzConnIncoming(f *testing.F) {
	hdr := func(typ PacketType, seq, ack uint16) []byte {
		p := Packet{Header: Header{Type: typ, SeqNr: seq, AckNr: ack, WndSize: 1 << 20, TimestampDiffMicros: 5000}}
		b := p.AppendTo(nil)
		return append([]byte{byte(len(b))}, b...)
	}
	f.Add(hdr(TypeState, 0, 0))
	f.Add(append(hdr(TypeData, 1, 0), hdr(TypeFin, 2, 0)...))
	f.Add(hdr(TypeReset, 0, 0))
	f.Add(append(append([]byte{}, hdr(TypeState, 0, 0xffff)...), 30, 0x21, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := DefaultConfig()
		now := time.Unix(1000, 0)
		a := NewInitiator(cfg, 100, 0xfff0, now)
		syn, _ := ParsePacket(a.Outgoing(nil)[0].B)
		b := NewAcceptor(cfg, syn, 0x10, now)
		b.Flush(now)
		for _, d := range b.Outgoing(nil) {
			p, _ := ParsePacket(d.B)
			a.Incoming(p, now)
		}
		if _, err := a.Write(make([]byte, 20000), now); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 4096)
		for i := 0; len(data) > 0; i++ {
			n := min(int(data[0]), len(data)-1)
			pkt := data[1 : 1+n]
			data = data[1+n:]
			p, err := ParsePacket(pkt)
			if err != nil {
				continue
			}
			if i%4 != 3 {
				p.ConnID = a.RecvID()
			}
			now = now.Add(time.Duration(n) * time.Millisecond)
			a.Incoming(p, now)
			a.Flush(now)
			if d := a.Deadline(); !d.IsZero() && !now.Before(d) {
				a.Tick(now)
			}
			a.Read(buf, now)
			a.Write(pkt, now)
			a.Outgoing(nil)
			if err := a.invariantErr(); err != nil {
				t.Fatalf("after packet %d (%v seq %d ack %d): %v", i, p.Type, p.SeqNr, p.AckNr, err)
			}
		}
	})
}
