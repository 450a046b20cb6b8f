package ipfilter

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

// ruleSpec is a rule written as text, for tables.
type ruleSpec struct {
	first, last string
	flags       uint32
}

func (s ruleSpec) ipRange(t testing.TB) IPRange {
	t.Helper()
	return IPRange{netip.MustParseAddr(s.first), netip.MustParseAddr(s.last), s.flags}
}

// rangeStrings renders exported ranges as "first-last=flags".
func rangeStrings(rs []IPRange) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%v-%v=%d", r.First, r.Last, r.Flags)
	}
	return out
}

const v6max = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"

// checkFilter verifies what every filter must satisfy: canonical tables,
// exports that tile each family, and Access agreeing with the export at
// both ends of every range.
func checkFilter(t testing.TB, f *IPFilter) {
	t.Helper()
	if err := f.v4.check(); err != nil {
		t.Fatalf("v4: %v", err)
	}
	if err := f.v6.check(); err != nil {
		t.Fatalf("v6: %v", err)
	}
	v4, v6 := f.Export()
	for fam, rs := range [][]IPRange{v4, v6} {
		want := netip.IPv4Unspecified()
		if fam == 1 {
			want = netip.IPv6Unspecified()
		}
		for i, r := range rs {
			if r.First != want {
				t.Fatalf("family %d range %d starts at %v, want %v", fam, i, r.First, want)
			}
			if i > 0 && rs[i-1].Flags == r.Flags {
				t.Fatalf("family %d ranges %d and %d both have flags %d", fam, i-1, i, r.Flags)
			}
			// Mapped addresses are looked up as IPv4, so the IPv6 export
			// and Access disagree there by design.
			if !r.First.Is4In6() && f.Access(r.First) != r.Flags {
				t.Fatalf("Access(%v) = %d, export says %d", r.First, f.Access(r.First), r.Flags)
			}
			if !r.Last.Is4In6() && f.Access(r.Last) != r.Flags {
				t.Fatalf("Access(%v) = %d, export says %d", r.Last, f.Access(r.Last), r.Flags)
			}
			want = r.Last.Next()
		}
		if want.IsValid() {
			t.Fatalf("family %d export ends before the largest address (next would be %v)", fam, want)
		}
	}
}

// TestAddRuleExport checks overwrite, split and merge semantics against
// libtorrent's test_ip_filter.cpp cases and more, both by AddRule and by
// AddRules (which must agree).
func TestAddRuleExport(t *testing.T) {
	libtorrentExpected1 := []string{"0.0.0.0-0.255.255.255=0", "1.0.0.0-3.0.0.0=1", "3.0.0.1-255.255.255.255=0"}
	tests := []struct {
		name   string
		rules  []ruleSpec
		v4, v6 []string // nil: the empty family
	}{
		{"empty", nil, nil, nil},
		{"libtorrent joining at end",
			[]ruleSpec{{"1.0.0.0", "2.0.0.0", Blocked}, {"2.0.0.1", "3.0.0.0", Blocked}}, libtorrentExpected1, nil},
		{"libtorrent joining at start",
			[]ruleSpec{{"2.0.0.1", "3.0.0.0", Blocked}, {"1.0.0.0", "2.0.0.0", Blocked}}, libtorrentExpected1, nil},
		{"libtorrent overlapping at start",
			[]ruleSpec{{"2.0.0.1", "3.0.0.0", Blocked}, {"1.0.0.0", "2.4.0.0", Blocked}}, libtorrentExpected1, nil},
		{"libtorrent overlapping at end",
			[]ruleSpec{{"1.0.0.0", "2.4.0.0", Blocked}, {"2.0.0.1", "3.0.0.0", Blocked}}, libtorrentExpected1, nil},
		{"libtorrent multiple overlapping 1",
			[]ruleSpec{{"1.0.0.0", "2.0.0.0", Blocked}, {"3.0.0.0", "4.0.0.0", Blocked}, {"5.0.0.0", "6.0.0.0", Blocked},
				{"7.0.0.0", "8.0.0.0", Blocked}, {"1.0.1.0", "9.0.0.0", Blocked}},
			[]string{"0.0.0.0-0.255.255.255=0", "1.0.0.0-9.0.0.0=1", "9.0.0.1-255.255.255.255=0"}, nil},
		{"libtorrent multiple overlapping 2",
			[]ruleSpec{{"1.0.0.0", "2.0.0.0", Blocked}, {"3.0.0.0", "4.0.0.0", Blocked}, {"5.0.0.0", "6.0.0.0", Blocked},
				{"7.0.0.0", "8.0.0.0", Blocked}, {"0.0.1.0", "7.0.4.0", Blocked}},
			[]string{"0.0.0.0-0.0.0.255=0", "0.0.1.0-8.0.0.0=1", "8.0.0.1-255.255.255.255=0"}, nil},
		{"libtorrent ipv6",
			[]ruleSpec{{"2::1", "3::", Blocked}, {"1::", "2::", Blocked}},
			nil, []string{"::-0:ffff:ffff:ffff:ffff:ffff:ffff:ffff=0", "1::-3::=1", "3::1-" + v6max + "=0"}},
		{"a hole splits a range",
			[]ruleSpec{{"10.0.0.0", "10.255.255.255", Blocked}, {"10.1.0.0", "10.1.255.255", 0}},
			[]string{"0.0.0.0-9.255.255.255=0", "10.0.0.0-10.0.255.255=1", "10.1.0.0-10.1.255.255=0",
				"10.2.0.0-10.255.255.255=1", "11.0.0.0-255.255.255.255=0"}, nil},
		{"filling the hole merges the halves back",
			[]ruleSpec{{"10.0.0.0", "10.255.255.255", Blocked}, {"10.1.0.0", "10.1.255.255", 0}, {"10.1.0.0", "10.1.255.255", Blocked}},
			[]string{"0.0.0.0-9.255.255.255=0", "10.0.0.0-10.255.255.255=1", "11.0.0.0-255.255.255.255=0"}, nil},
		{"allowing a whole blocked range empties the filter",
			[]ruleSpec{{"1.2.3.4", "1.2.3.9", Blocked}, {"1.2.3.0", "1.2.3.255", 0}}, nil, nil},
		{"same range overwritten",
			[]ruleSpec{{"1.2.3.4", "1.2.3.9", Blocked}, {"1.2.3.4", "1.2.3.9", 4}},
			[]string{"0.0.0.0-1.2.3.3=0", "1.2.3.4-1.2.3.9=4", "1.2.3.10-255.255.255.255=0"}, nil},
		{"touching ranges with different flags stay apart",
			[]ruleSpec{{"1.0.0.0", "1.0.0.9", 2}, {"1.0.0.10", "1.0.0.19", 4}},
			[]string{"0.0.0.0-0.255.255.255=0", "1.0.0.0-1.0.0.9=2", "1.0.0.10-1.0.0.19=4", "1.0.0.20-255.255.255.255=0"}, nil},
		{"a rule with its neighbours' flags joins both",
			[]ruleSpec{{"1.0.0.0", "1.0.0.9", 2}, {"1.0.0.20", "1.0.0.29", 2}, {"1.0.0.10", "1.0.0.19", 2}},
			[]string{"0.0.0.0-0.255.255.255=0", "1.0.0.0-1.0.0.29=2", "1.0.0.30-255.255.255.255=0"}, nil},
		{"a rule inside a range of other flags splits it in three",
			[]ruleSpec{{"1.0.0.0", "1.0.0.29", 2}, {"1.0.0.10", "1.0.0.19", 6}},
			[]string{"0.0.0.0-0.255.255.255=0", "1.0.0.0-1.0.0.9=2", "1.0.0.10-1.0.0.19=6", "1.0.0.20-1.0.0.29=2", "1.0.0.30-255.255.255.255=0"}, nil},
		{"a rule over the end of one range and the start of the next",
			[]ruleSpec{{"1.0.0.0", "1.0.0.9", 2}, {"1.0.0.20", "1.0.0.29", 4}, {"1.0.0.5", "1.0.0.24", 1}},
			[]string{"0.0.0.0-0.255.255.255=0", "1.0.0.0-1.0.0.4=2", "1.0.0.5-1.0.0.24=1", "1.0.0.25-1.0.0.29=4", "1.0.0.30-255.255.255.255=0"}, nil},
		{"lowest address alone", []ruleSpec{{"0.0.0.0", "0.0.0.0", Blocked}},
			[]string{"0.0.0.0-0.0.0.0=1", "0.0.0.1-255.255.255.255=0"}, nil},
		{"highest address alone", []ruleSpec{{"255.255.255.255", "255.255.255.255", Blocked}},
			[]string{"0.0.0.0-255.255.255.254=0", "255.255.255.255-255.255.255.255=1"}, nil},
		{"everything", []ruleSpec{{"0.0.0.0", "255.255.255.255", Blocked}, {"::", v6max, Blocked}},
			[]string{"0.0.0.0-255.255.255.255=1"}, []string{"::-" + v6max + "=1"}},
		{"everything then a hole at each end",
			[]ruleSpec{{"0.0.0.0", "255.255.255.255", Blocked}, {"0.0.0.0", "0.0.0.0", 0}, {"255.255.255.255", "255.255.255.255", 0}},
			[]string{"0.0.0.0-0.0.0.0=0", "0.0.0.1-255.255.255.254=1", "255.255.255.255-255.255.255.255=0"}, nil},
		{"ipv6 ends",
			[]ruleSpec{{"::", "::", Blocked}, {v6max, v6max, Blocked}},
			nil, []string{"::-::=1", "::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe=0", v6max + "-" + v6max + "=1"}},
		{"ipv6 across the 64-bit halves",
			[]ruleSpec{{"::ffff:ffff:ffff:ffff", "0:0:0:1::", 8}},
			nil, []string{"::-::ffff:ffff:ffff:fffe=0", "::ffff:ffff:ffff:ffff-0:0:0:1::=8", "::1:0:0:0:1-" + v6max + "=0"}},
		{"the families are apart",
			[]ruleSpec{{"1.2.3.4", "1.2.3.4", Blocked}, {"::1", "::1", Blocked}},
			[]string{"0.0.0.0-1.2.3.3=0", "1.2.3.4-1.2.3.4=1", "1.2.3.5-255.255.255.255=0"},
			[]string{"::-::=0", "::1-::1=1", "::2-" + v6max + "=0"}},
		{"a wholly mapped rule is ipv4", []ruleSpec{{"::ffff:1.2.3.4", "::ffff:1.2.3.4", Blocked}},
			[]string{"0.0.0.0-1.2.3.3=0", "1.2.3.4-1.2.3.4=1", "1.2.3.5-255.255.255.255=0"}, nil},
		{"ipv4 to mapped is ipv4", []ruleSpec{{"1.2.3.4", "::ffff:1.2.3.5", Blocked}},
			[]string{"0.0.0.0-1.2.3.3=0", "1.2.3.4-1.2.3.5=1", "1.2.3.6-255.255.255.255=0"}, nil},
		{"a partly mapped rule stays ipv6", []ruleSpec{{"::ffff:255.255.255.0", "::1:0:0:0", Blocked}},
			nil, []string{"::-::ffff:255.255.254.255=0", "::ffff:255.255.255.0-::1:0:0:0=1", "::1:0:0:1-" + v6max + "=0"}},
	}
	for _, tt := range tests {
		for _, batch := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/batch=%v", tt.name, batch), func(t *testing.T) {
				var f IPFilter
				var rs []IPRange
				for _, s := range tt.rules {
					rs = append(rs, s.ipRange(t))
				}
				if batch {
					// Force the sweep even for short lists.
					var r4 []rule[v4key]
					var r6 []rule[v6key]
					for _, r := range rs {
						n, err := normalize(r.First, r.Last, r.Flags)
						if err != nil {
							t.Fatal(err)
						}
						if n.First.Is4() {
							r4 = append(r4, rule[v4key]{v4From(n.First), v4From(n.Last), n.Flags})
						} else {
							r6 = append(r6, rule[v6key]{v6From(n.First), v6From(n.Last), n.Flags})
						}
					}
					sweep(&f.v4, r4)
					sweep(&f.v6, r6)
				} else {
					for _, r := range rs {
						if err := f.AddRule(r.First, r.Last, r.Flags); err != nil {
							t.Fatal(err)
						}
					}
				}
				checkFilter(t, &f)
				wantV4, wantV6 := tt.v4, tt.v6
				if wantV4 == nil {
					wantV4 = []string{"0.0.0.0-255.255.255.255=0"}
				}
				if wantV6 == nil {
					wantV6 = []string{"::-" + v6max + "=0"}
				}
				v4, v6 := f.Export()
				if got := rangeStrings(v4); !slices.Equal(got, wantV4) {
					t.Errorf("v4 export\n got %q\nwant %q", got, wantV4)
				}
				if got := rangeStrings(v6); !slices.Equal(got, wantV6) {
					t.Errorf("v6 export\n got %q\nwant %q", got, wantV6)
				}
				if f.Empty() != (tt.v4 == nil && tt.v6 == nil) {
					t.Errorf("Empty() = %v", f.Empty())
				}
			})
		}
	}
}

func TestSweepNothingKeepsTable(t *testing.T) {
	var f IPFilter
	must(t, f.AddRule(netip.MustParseAddr("1.2.3.4"), netip.MustParseAddr("1.2.3.5"), Blocked))
	before := f.Clone()
	sweep(&f.v4, nil)
	if !f.Equal(before) {
		t.Error("an empty batch changed the table")
	}
}

// sweep runs the batch algorithm whatever the batch size.
func sweep[K key[K]](t *table[K], rules []rule[K]) {
	t.sweep(rules)
}

func TestAccessMappedAndZones(t *testing.T) {
	var f IPFilter
	must(t, f.AddRule(netip.MustParseAddr("1.2.3.0"), netip.MustParseAddr("1.2.3.255"), Blocked))
	// All of IPv6 with flags 2: mapped addresses must still be looked up
	// among the IPv4 rules.
	must(t, f.AddRule(netip.MustParseAddr("::"), netip.MustParseAddr(v6max), 2))
	tests := []struct {
		addr string
		want uint32
	}{
		{"1.2.3.4", Blocked},
		{"::ffff:1.2.3.4", Blocked},
		{"::ffff:1.2.4.0", 0},
		{"1.2.4.0", 0},
		{"::1.2.3.4", 2}, // IPv4-compatible, not mapped: IPv6
		{"fe80::1%eth0", 2},
		{"2001:db8::1", 2},
	}
	for _, tt := range tests {
		if got := f.Access(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("Access(%s) = %d, want %d", tt.addr, got, tt.want)
		}
	}
	if got := f.Access(netip.Addr{}); got != 0 {
		t.Errorf("Access(invalid) = %d, want 0", got)
	}
}

func TestAddRuleRejects(t *testing.T) {
	tests := []struct {
		name        string
		first, last netip.Addr
	}{
		{"invalid first", netip.Addr{}, netip.MustParseAddr("1.2.3.4")},
		{"invalid last", netip.MustParseAddr("1.2.3.4"), netip.Addr{}},
		{"mixed families", netip.MustParseAddr("1.2.3.4"), netip.MustParseAddr("::1")},
		{"mapped to plain ipv6, reversed", netip.MustParseAddr("::1:0:0:0"), netip.MustParseAddr("::ffff:1.2.3.4")},
		{"reversed v4", netip.MustParseAddr("1.2.3.5"), netip.MustParseAddr("1.2.3.4")},
		{"reversed v6", netip.MustParseAddr("::2"), netip.MustParseAddr("::1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f IPFilter
			must(t, f.AddRule(netip.MustParseAddr("9.9.9.9"), netip.MustParseAddr("9.9.9.9"), Blocked))
			before := f.Clone()
			if err := f.AddRule(tt.first, tt.last, Blocked); !errors.Is(err, ErrBadRange) {
				t.Errorf("AddRule: %v, want ErrBadRange", err)
			}
			good := IPRange{netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("8.8.8.8"), Blocked}
			if err := f.AddRules([]IPRange{good, {tt.first, tt.last, Blocked}}); !errors.Is(err, ErrBadRange) {
				t.Errorf("AddRules: %v, want ErrBadRange", err)
			}
			if !f.Equal(before) {
				t.Error("a rejected rule changed the filter")
			}
		})
	}
}

func TestNilAndClone(t *testing.T) {
	var nilf *IPFilter
	if !nilf.Empty() || nilf.Access(netip.MustParseAddr("1.2.3.4")) != 0 {
		t.Error("a nil filter must allow everything")
	}
	if v4, v6 := nilf.Export(); len(v4) != 1 || len(v6) != 1 {
		t.Errorf("nil Export: %v %v", v4, v6)
	}
	var f IPFilter
	must(t, f.AddRule(netip.MustParseAddr("1.0.0.0"), netip.MustParseAddr("1.255.255.255"), Blocked))
	c := f.Clone()
	must(t, f.AddRule(netip.MustParseAddr("1.2.0.0"), netip.MustParseAddr("1.2.255.255"), 0))
	if got := c.Access(netip.MustParseAddr("1.2.3.4")); got != Blocked {
		t.Errorf("the clone saw a later change of the original: %d", got)
	}
	if c.Equal(&f) || !c.Equal(c.Clone()) || !nilf.Equal(&IPFilter{}) {
		t.Error("Equal is wrong")
	}
}

// TestAddRulesMatchesAddRule compares the sweep with rule-by-rule adds on
// random rule sets dense enough to overlap a lot, on a filter that already
// has rules.
func TestAddRulesMatchesAddRule(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var seq, batch IPFilter
		pre := randomRanges(rng, 20)
		for _, r := range pre {
			must(t, seq.AddRule(r.First, r.Last, r.Flags))
		}
		must(t, batch.AddRules(pre))
		rs := randomRanges(rng, 1+rng.IntN(200))
		for _, r := range rs {
			must(t, seq.AddRule(r.First, r.Last, r.Flags))
		}
		must(t, batch.AddRules(rs))
		checkFilter(t, &batch)
		if !seq.Equal(&batch) {
			a, _ := seq.Export()
			b, _ := batch.Export()
			t.Fatalf("round %d: rule by rule\n%q\nbatch\n%q", round, rangeStrings(a), rangeStrings(b))
		}
	}
}

// randomRanges returns ranges over a few small neighbourhoods (so they
// overlap and touch), both families, both ends of the address spaces.
func randomRanges(rng *rand.Rand, n int) []IPRange {
	out := make([]IPRange, n)
	for i := range out {
		base := []uint32{0, 1 << 24, 0xffffff00}[rng.IntN(3)]
		a, b := base+uint32(rng.IntN(64)), base+uint32(rng.IntN(64))
		if base == 0xffffff00 {
			a, b = base+uint32(rng.IntN(256)), base+uint32(rng.IntN(256))
		}
		a, b = min(a, b), max(a, b)
		r := IPRange{v4key(a).addr(), v4key(b).addr(), uint32(rng.IntN(3))}
		if rng.IntN(4) == 0 {
			hi := []uint64{0, 1, ^uint64(0)}[rng.IntN(3)]
			lo := []uint64{0, ^uint64(0) - 40}[rng.IntN(2)]
			x, y := lo+uint64(rng.IntN(40)), lo+uint64(rng.IntN(40))
			x, y = min(x, y), max(x, y)
			r.First, r.Last = v6key{hi, x}.addr(), v6key{hi, y}.addr()
		}
		out[i] = r
	}
	return out
}

func TestPortFilter(t *testing.T) {
	var pf PortFilter
	for _, p := range []uint16{0, 6881, 65535} {
		if pf.Access(p) != 0 {
			t.Errorf("a new port filter blocks %d", p)
		}
	}
	must(t, pf.AddRule(100, 300, Blocked)) // libtorrent's port_filter test
	tests := []struct {
		port uint16
		want uint32
	}{{0, 0}, {99, 0}, {100, Blocked}, {150, Blocked}, {300, Blocked}, {301, 0}, {6881, 0}, {65535, 0}}
	for _, tt := range tests {
		if got := pf.Access(tt.port); got != tt.want {
			t.Errorf("Access(%d) = %d, want %d", tt.port, got, tt.want)
		}
	}
	must(t, pf.AddRule(0, 0, Blocked))
	must(t, pf.AddRule(65535, 65535, Blocked))
	must(t, pf.AddRule(301, 400, Blocked)) // joins 100-300
	must(t, pf.AddRule(150, 150, 0))       // splits it
	want := []PortRange{{0, 0, 1}, {1, 99, 0}, {100, 149, 1}, {150, 150, 0}, {151, 400, 1}, {401, 65534, 0}, {65535, 65535, 1}}
	if got := pf.Export(); !slices.Equal(got, want) {
		t.Errorf("Export\n got %v\nwant %v", got, want)
	}
	if err := pf.AddRule(2, 1, Blocked); !errors.Is(err, ErrBadRange) {
		t.Errorf("reversed range: %v", err)
	}
	c := pf.Clone()
	must(t, pf.AddRule(0, 65535, 0))
	if !pf.Empty() || c.Empty() || c.Access(0) != Blocked {
		t.Error("clearing the filter: wrong Empty or a shared clone")
	}
	var nilpf *PortFilter
	if !nilpf.Empty() || nilpf.Access(1) != 0 || len(nilpf.Export()) != 1 || nilpf.Clone() == nil {
		t.Error("a nil port filter must allow every port")
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
