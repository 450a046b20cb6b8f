package pex

import (
	"net/netip"
	"testing"
	"time"
)

// FuzzDecode: any bytes decode or fail without panic; what decodes
// encodes to bytes that decode to the same peers.
func FuzzDecode(f *testing.F) {
	f.Add(Encode(Message{Added: []Peer{{ap("1.2.3.4:5"), FlagSeed}}, Dropped: []netip.AddrPort{ap("[::2]:3")}}))
	f.Add([]byte("d5:added6:\x01\x02\x03\x04\x00\x017:added.f1:\x00e"))
	f.Add([]byte("de"))
	f.Add([]byte("d5:addedi1ee"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		again, err := Decode(Encode(m))
		if err != nil {
			t.Fatalf("re-encoded message does not decode: %v", err)
		}
		if len(again.Added) != len(m.Added) || len(again.Dropped) != len(m.Dropped) {
			t.Fatalf("round trip: %d/%d added, %d/%d dropped", len(again.Added), len(m.Added), len(again.Dropped), len(m.Dropped))
		}
		in := Inbound{MaxPeers: 50}
		if got, _ := in.Receive(time.Time{}, b, ap("127.0.0.1:1")); len(got) > 50 {
			t.Fatalf("%d peers past MaxPeers", len(got))
		}
	})
}
