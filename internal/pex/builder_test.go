package pex

import (
	"net/netip"
	"reflect"
	"testing"
	"time"
)

func peersN(n int) []Peer {
	out := make([]Peer, n)
	for i := range out {
		out[i] = Peer{Addr: netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), 6881)}
	}
	return out
}

func decode(t *testing.T, b []byte) Message {
	t.Helper()
	if b == nil {
		return Message{}
	}
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A minute at a time, the diff adds what is new (at most MaxAdded, the
// rest the next minute) and drops what left; a peer never added is never
// dropped.
func TestBuilderDiffs(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b Builder
	all := peersN(MaxAdded + 10)
	if !b.Update(t0, all) {
		t.Fatal("the first update did not build")
	}
	if m := decode(t, b.Diff()); len(m.Added) != MaxAdded || len(m.Dropped) != 0 {
		t.Fatalf("first diff: %d added, %d dropped", len(m.Added), len(m.Dropped))
	}
	if b.Update(t0.Add(Interval-time.Second), all) {
		t.Fatal("rebuilt within the interval")
	}
	// The 10 left out come now; peer 0 left; peer 59 (never told of) left too.
	now := all[1 : len(all)-1]
	if !b.Update(t0.Add(Interval), now) {
		t.Fatal("did not rebuild after the interval")
	}
	m := decode(t, b.Diff())
	if len(m.Added) != 9 || !reflect.DeepEqual(m.Dropped, []netip.AddrPort{all[0].Addr}) {
		t.Fatalf("second diff: %d added, dropped %v", len(m.Added), m.Dropped)
	}
	// Nothing changed: nothing to say.
	b.Update(t0.Add(2*Interval), now)
	if b.Diff() != nil {
		t.Fatalf("an unchanged set made a diff: %q", b.Diff())
	}
}

func TestFullExcludesReceiver(t *testing.T) {
	ps := peersN(3)
	m := decode(t, Full(ps, ps[1].Addr))
	if len(m.Added) != 2 || m.Added[0].Addr != ps[0].Addr || m.Added[1].Addr != ps[2].Addr {
		t.Fatalf("full list: %+v", m.Added)
	}
	if Full(ps[:1], ps[0].Addr) != nil {
		t.Fatal("a full list with only the receiver in it was sent")
	}
	if m := decode(t, Full(peersN(200), netip.AddrPort{})); len(m.Added) != MaxAdded {
		t.Fatalf("full list of 200: %d added", len(m.Added))
	}
}

func TestOutboundSchedule(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var o Outbound
	for i, tt := range []struct {
		at          time.Duration
		due, first  bool
		markSentNow bool
	}{
		{0, true, true, true},
		{time.Second, false, false, false},
		{Interval - time.Nanosecond, false, false, false},
		{Interval, true, false, true},
		{Interval + time.Second, false, false, false},
	} {
		due, first := o.Due(t0.Add(tt.at))
		if due != tt.due || first != tt.first {
			t.Fatalf("step %d at %v: due %v first %v, want %v %v", i, tt.at, due, first, tt.due, tt.first)
		}
		if tt.markSentNow {
			o.Sent(t0.Add(tt.at))
		}
	}
}

func TestSendable(t *testing.T) {
	for _, tt := range []struct{ out, port, hs, want bool }{
		{true, false, true, true}, {false, true, true, true}, {false, false, true, false}, {true, true, false, false},
	} {
		if got := Sendable(tt.out, tt.port, tt.hs); got != tt.want {
			t.Errorf("Sendable(%v,%v,%v) = %v", tt.out, tt.port, tt.hs, got)
		}
	}
}
