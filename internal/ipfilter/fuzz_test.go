package ipfilter

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"
)

// Seed corpora are under testdata/fuzz/<FuzzName>/.

// fuzzV4 and fuzzV6 turn a byte into an address near an edge where off-by-
// one mistakes live: the ends of the space, the middle, for IPv6 the carry
// between the 64-bit halves and the IPv4-mapped block. 64 addresses a
// region keep rules overlapping often.
func fuzzV4(b byte) netip.Addr {
	base := [4]uint32{0, 0x7fffffe0, 0xffffffc0, 0x01020300}[b>>6]
	return v4key(base + uint32(b&63)).addr()
}

func fuzzV6(b byte) netip.Addr {
	k := [4]v6key{{0, 0}, {0, ^uint64(0) - 31}, {^uint64(0), ^uint64(0) - 63}, {0, 0xffff_ffff_ffe0}}[b>>6]
	for range b & 63 {
		k = k.next()
	}
	return k.addr()
}

func fuzzPort(b byte) uint16 {
	return [4]uint16{0, 0x7fe0, 0xffc0, 6881 - 32}[b>>6] + uint16(b&63)
}

// modelRule is a rule of the naive model: Access is the last rule that
// covers the address.
type modelRule struct {
	first, last netip.Addr
	flags       uint32
}

func modelAccess(rules []modelRule, a netip.Addr) uint32 {
	a = a.Unmap()
	for i := len(rules) - 1; i >= 0; i-- {
		r := rules[i]
		if r.first.Is4() == a.Is4() && !a.Less(r.first) && !r.last.Less(a) {
			return r.flags
		}
	}
	return 0
}

// FuzzRules adds rules to filters three ways (AddRule one by one, AddRules
// at once, and the sweep in chunks over a filter that already has rules)
// and checks that they agree with each other, with a naive model at every
// rule's edges, and with the invariants of a canonical table; port rules
// likewise against their own model. Each rule is four bytes: op (bit 0
// IPv6, op&3 == 2 a port rule, bit 2 IPv4 written as mapped, bit 7 ends
// a chunk), first, last, flags.
func FuzzRules(f *testing.F) {
	f.Fuzz(fuzzRules)
}

func fuzzRules(t *testing.T, data []byte) {
	{
		if len(data) > 4*64 {
			return // 64 rules over 256 addresses a family overlap plenty; more only slows the quadratic model
		}
		var one, all, chunked IPFilter
		var ports, portsModel PortFilter
		var model []modelRule
		var portRules []PortRange
		var batch []IPRange
		var c4 []rule[v4key]
		var c6 []rule[v6key]
		probes := []netip.Addr{netip.IPv4Unspecified(), fuzzV4(255), netip.IPv6Unspecified(), fuzzV6(255)}
		flush := func() {
			sweep(&chunked.v4, c4)
			sweep(&chunked.v6, c6)
			c4, c6 = nil, nil
		}
		for ; len(data) >= 4; data = data[4:] {
			op, a, b, flags := data[0], data[1], data[2], uint32(data[3]&3)
			if op&0x80 != 0 {
				flush()
			}
			if op&3 == 2 { // a port rule
				first, last := fuzzPort(a), fuzzPort(b)
				if first > last {
					first, last = last, first
				}
				must(t, ports.AddRule(first, last, flags))
				portRules = append(portRules, PortRange{first, last, flags})
				continue
			}
			var first, last netip.Addr
			if op&1 == 0 {
				first, last = fuzzV4(a), fuzzV4(b)
			} else {
				first, last = fuzzV6(a), fuzzV6(b)
			}
			if last.Less(first) {
				first, last = last, first
			}
			if op&4 != 0 && first.Is4() { // write IPv4 as mapped: must change nothing
				first = netip.AddrFrom16(first.As16())
			}
			must(t, one.AddRule(first, last, flags))
			batch = append(batch, IPRange{first, last, flags})
			n, err := normalize(first, last, flags)
			must(t, err)
			model = append(model, modelRule{n.First, n.Last, flags})
			if n.First.Is4() {
				c4 = append(c4, rule[v4key]{v4From(n.First), v4From(n.Last), flags})
			} else {
				c6 = append(c6, rule[v6key]{v6From(n.First), v6From(n.Last), flags})
			}
			probes = append(probes, n.First, n.First.Prev(), n.Last, n.Last.Next())
		}
		flush()
		must(t, all.AddRules(batch))
		checkFilter(t, &one)
		if !one.Equal(&all) || !one.Equal(&chunked) {
			show := func(f *IPFilter) string {
				v4, v6 := f.Export()
				return fmt.Sprintf("%q %q", rangeStrings(v4), rangeStrings(v6))
			}
			t.Fatalf("one by one %s\nall at once %s\nchunked %s", show(&one), show(&all), show(&chunked))
		}
		for _, p := range probes {
			if !p.IsValid() {
				continue
			}
			for _, a := range []netip.Addr{p, netip.AddrFrom16(p.As16())} {
				if got, want := one.Access(a), modelAccess(model, a); got != want {
					t.Fatalf("Access(%v) = %d, model says %d", a, got, want)
				}
			}
		}
		if one.Empty() != (len(one.v4.bounds) == 0 && len(one.v6.bounds) == 0) {
			t.Fatal("Empty disagrees with the tables")
		}

		// Ports: the model, the export and Access must agree.
		if err := ports.t.check(); err != nil {
			t.Fatal(err)
		}
		next := 0
		for _, r := range ports.Export() {
			if int(r.First) != next {
				t.Fatalf("port export has a gap or overlap at %d: %v", next, r)
			}
			next = int(r.Last) + 1
			must(t, portsModel.AddRule(r.First, r.Last, r.Flags))
		}
		if next != 65536 {
			t.Fatalf("port export ends at %d", next-1)
		}
		for _, r := range portRules {
			for _, p := range []int{int(r.First) - 1, int(r.First), int(r.Last), int(r.Last) + 1} {
				if p < 0 || p > 65535 {
					continue
				}
				want := uint32(0)
				for _, m := range portRules {
					if p >= int(m.First) && p <= int(m.Last) {
						want = m.Flags
					}
				}
				if got := ports.Access(uint16(p)); got != want || portsModel.Access(uint16(p)) != want {
					t.Fatalf("port %d: Access %d, re-imported export %d, model %d", p, got, portsModel.Access(uint16(p)), want)
				}
			}
		}
	}
}

// checkParsed checks a range any line parser returned.
func checkParsed(t *testing.T, line []byte, first, last netip.Addr) {
	t.Helper()
	if !first.IsValid() || !last.IsValid() || first.Zone() != "" || last.Zone() != "" {
		t.Fatalf("%q: invalid or zoned ends %v %v", line, first, last)
	}
	if first.Is4() != last.Is4() || last.Less(first) {
		t.Fatalf("%q: bad range %v-%v", line, first, last)
	}
}

// datAddr writes an address as eMule lists do (zero-padded IPv4 octets).
func datAddr(a netip.Addr) string {
	if !a.Is4() {
		return a.String()
	}
	b := a.As4()
	return fmt.Sprintf("%03d.%03d.%03d.%03d", b[0], b[1], b[2], b[3])
}

func FuzzParseDAT(f *testing.F) {
	f.Fuzz(func(t *testing.T, line []byte) {
		first, last, level, ok := parseDAT(line)
		if !ok {
			return
		}
		if level < 0 || level > 999 {
			t.Fatalf("%q: level %d", line, level)
		}
		if first, last, ok = normalRange(first, last); !ok {
			return
		}
		checkParsed(t, line, first, last)
		again := fmt.Sprintf("%s - %s , %03d , description, with commas", datAddr(first), datAddr(last), level)
		f2, l2, lv2, ok := parseDAT([]byte(again))
		if f2, l2, _ = normalRange(f2, l2); !ok || f2 != first || l2 != last || lv2 != level {
			t.Fatalf("%q read as %v-%v level %d; rewritten %q read as %v-%v level %d", line, first, last, level, again, f2, l2, lv2)
		}
		// parseLine takes a line with a comma as eMule's when this reads it.
		if bytes.IndexByte(line, ',') >= 0 {
			pf, pl, kind := parseLine(line)
			want := lineRule
			if level >= emuleBlockBelow {
				want = lineIgnored
			}
			if kind != want || pf != first || pl != last {
				t.Fatalf("%q: parseLine %v-%v kind %d, parseDAT %v-%v level %d", line, pf, pl, kind, first, last, level)
			}
		}
	})
}

func FuzzParseP2P(f *testing.F) {
	f.Fuzz(func(t *testing.T, line []byte) {
		first, last, ok := parseP2P(line)
		if !ok {
			return
		}
		if first, last, ok = normalRange(first, last); !ok {
			return
		}
		checkParsed(t, line, first, last)
		again := fmt.Sprintf("Some org: with colons - and dashes:%v-%v", first, last)
		f2, l2, ok := parseP2P([]byte(again))
		if f2, l2, _ = normalRange(f2, l2); !ok || f2 != first || l2 != last {
			t.Fatalf("%q read as %v-%v; rewritten %q read as %v-%v", line, first, last, again, f2, l2)
		}
	})
}

func FuzzParseCIDR(f *testing.F) {
	f.Fuzz(func(t *testing.T, line []byte) {
		first, last, ok := parseCIDR(line)
		if !ok {
			return
		}
		checkParsed(t, line, first, last)
		// The range is one prefix: some bits makes first/bits cover
		// exactly first-last.
		for bits := 0; bits <= first.BitLen(); bits++ {
			p := netip.PrefixFrom(first, bits)
			f2, l2, ok := parseCIDR([]byte(p.String()))
			if ok && f2 == first && l2 == last {
				return
			}
		}
		t.Fatalf("%q read as %v-%v, which is no prefix", line, first, last)
	})
}

// FuzzLoadBlocklist loads arbitrary files, gzipped by the fuzzer or not,
// and compares the result with a plain line-by-line reading of the same
// bytes: the buffered reader must see the same lines.
func FuzzLoadBlocklist(f *testing.F) {
	const maxLine = 64
	f.Fuzz(func(t *testing.T, data []byte, compress bool) {
		if len(data) > 64<<10 {
			return // the line-by-line reference adds rule by rule
		}
		input := data
		if compress {
			input = gzipped(t, data)
		}
		var got IPFilter
		st, err := got.LoadBlocklist(bytes.NewReader(input), Limits{MaxLineLength: maxLine, MaxBytes: 1 << 20})
		if err != nil {
			if !got.Empty() {
				t.Fatal("a failed load changed the filter")
			}
			return
		}
		checkFilter(t, &got)
		if st.Rules+st.Ignored+st.Skipped > st.Lines || (st.Skipped > 0) != (st.FirstSkipped > 0) || st.FirstSkipped > st.Lines {
			t.Fatalf("inconsistent stats %+v", st)
		}
		if !compress && bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			return // the data was gzip itself
		}
		var want IPFilter
		var ws LoadStats
		lines := bytes.Split(data, []byte("\n"))
		if len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1]
		}
		for i, line := range lines {
			ws.Lines++
			if i == 0 {
				line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			}
			line = bytes.TrimRight(line, "\r")
			first, last, kind := parseLine(line)
			switch {
			case len(line) > maxLine || kind == lineBad:
				ws.Skipped++
				if ws.FirstSkipped == 0 {
					ws.FirstSkipped = ws.Lines
				}
			case kind == lineIgnored:
				ws.Ignored++
			case kind == lineRule:
				ws.Rules++
				must(t, want.AddRule(first, last, Blocked))
			}
		}
		if st != ws || !got.Equal(&want) {
			t.Fatalf("loaded %+v, line by line %+v (filters equal: %v)", st, ws, got.Equal(&want))
		}
	})
}
