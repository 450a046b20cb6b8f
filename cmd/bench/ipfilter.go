package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/ipfilter"
)

// The ipfilter_load_100k line: a P2P blocklist of 100k ranges (random
// order, a tenth overlapping an earlier range, a twentieth IPv6) loaded
// from memory by ipfilter.LoadBlocklist, parsing included, median of
// ipfilterRuns; the goal is under 200 ms. libtorrent's figure is its
// ip_filter.add_rule called over the same ranges from python3-libtorrent,
// without any parsing, since libtorrent has no loader (its users parse
// the files themselves): that figure includes the Python loop and the
// binding's conversions. Both filters are exported and compared range by
// range.
const (
	lineIPFilter   = "ipfilter_load_100k"
	ipfilterRanges = 100_000
	ipfilterRuns   = 5
)

// ErrIPFilter means the ipfilter line failed.
var ErrIPFilter = errors.New("bench: ipfilter_load_100k failed")

// ltIPFilterScript times add_rule over the "first last" pairs of argv[1],
// argv[2] times, and writes the last filter's export to argv[3].
const ltIPFilterScript = `
import json, sys, time
import libtorrent as lt
pairs = [l.split() for l in open(sys.argv[1])]
times, cpu = [], []
for _ in range(int(sys.argv[2])):
    f = lt.ip_filter()
    t0, c0 = time.perf_counter(), time.process_time()
    for a, b in pairs:
        f.add_rule(a, b, 1)
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
v4, v6 = f.export_filter()
with open(sys.argv[3], "w") as out:
    for a, b in list(v4) + list(v6):
        out.write("%s %s\n" % (a, b))
times.sort()
cpu.sort()
print(json.dumps({"seconds": times[len(times) // 2], "cpu": cpu[len(cpu) // 2]}))
`

// benchIPFilter prints the ipfilter_load_100k line and its detail line.
func benchIPFilter(ctx context.Context, c config, work string, stdout io.Writer) error {
	list, ranges := makeBlocklist(ipfilterRanges)
	ours, lt := nan(), nan()
	var oursNote, ltNote string
	var oursExport []string
	if c.wants(sideOurs) {
		var err error
		if ours, oursNote, oursExport, err = ipfilterOurs(list, ranges); err != nil {
			return err
		}
	}
	if c.wants(sideLibtorrent) {
		secs, cpu, export, err := ipfilterLibtorrent(ctx, c, work, ranges)
		if err != nil {
			return err
		}
		lt = secs * 1000
		ltNote = fmt.Sprintf("libtorrent: add_rule only %.1f ms CPU, %d ranges after", cpu*1000, len(export))
		if oursExport != nil {
			ltNote += ", " + compareExports(oursExport, export)
		}
	}
	fmt.Fprintln(stdout, benchLine(lineIPFilter, "ms", 1, ours, lt))
	fmt.Fprintf(stdout, "# %s: %d lines, %d KiB, median of %d; %s; %s\n",
		lineIPFilter, len(ranges), len(list)>>10, ipfilterRuns, oursNote, ltNote)
	return nil
}

// ipfilterOurs measures loading list (and, for the note, adding the
// already parsed ranges, loading it gzipped, and Access).
func ipfilterOurs(list []byte, ranges []ipfilter.IPRange) (ms float64, note string, export []string, err error) {
	var f *ipfilter.IPFilter
	var cpu []float64 // of the plain loads
	load := func(r io.Reader) (time.Duration, error) {
		f = &ipfilter.IPFilter{}
		c0 := selfCPU()
		t0 := time.Now()
		st, err := f.LoadBlocklist(r, ipfilter.Limits{})
		d := time.Since(t0)
		cpu = append(cpu, float64((selfCPU()-c0).Microseconds())/1000)
		if err == nil && (st.Rules != len(ranges) || st.Skipped != 0) {
			err = fmt.Errorf("%w: loaded %+v, want %d rules", ErrIPFilter, st, len(ranges))
		}
		return d, err
	}
	var plain, zipped, build []float64
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(list)
	if err := zw.Close(); err != nil {
		return 0, "", nil, err
	}
	for range ipfilterRuns {
		d, err := load(bytes.NewReader(gz.Bytes()))
		if err != nil {
			return 0, "", nil, err
		}
		zipped = append(zipped, float64(d.Microseconds())/1000)
		cpu = cpu[:len(cpu)-1]
		g := &ipfilter.IPFilter{}
		t0 := time.Now()
		if err := g.AddRules(ranges); err != nil {
			return 0, "", nil, err
		}
		build = append(build, float64(time.Since(t0).Microseconds())/1000)
		if d, err = load(bytes.NewReader(list)); err != nil {
			return 0, "", nil, err
		}
		plain = append(plain, float64(d.Microseconds())/1000)
		if !g.Equal(f) {
			return 0, "", nil, fmt.Errorf("%w: AddRules and LoadBlocklist disagree", ErrIPFilter)
		}
	}
	v4, v6 := f.Export()
	for _, r := range append(v4, v6...) {
		export = append(export, r.First.String()+" "+r.Last.String())
	}
	probes := make([]netip.Addr, 1<<16)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range probes {
		probes[i] = v4Addr(rng.Uint32())
	}
	t0 := time.Now()
	blocked := 0
	for _, a := range probes {
		blocked += int(f.Access(a))
	}
	access := time.Since(t0) / time.Duration(len(probes))
	// The machine is shared: CPU time (all threads, the GC's included)
	// shows the work when the wall time also shows waiting for a core.
	note = fmt.Sprintf("ours: load %.1f ms wall, %.1f ms CPU (gzipped %.1f ms, AddRules of the parsed ranges %.1f ms), %d ranges after, Access %d ns (%d of %d random IPv4 blocked)",
		median(plain), median(cpu), median(zipped), median(build), len(export), access.Nanoseconds(), blocked, len(probes))
	return median(plain), note, export, nil
}

// ipfilterLibtorrent runs ltIPFilterScript over ranges; it returns the
// median wall and CPU seconds and libtorrent's export as "first last"
// lines.
func ipfilterLibtorrent(ctx context.Context, c config, work string, ranges []ipfilter.IPRange) (float64, float64, []string, error) {
	if err := interop.Available(); err != nil {
		return 0, 0, nil, err
	}
	pairs := filepath.Join(work, "ipfilter-pairs.txt")
	exported := filepath.Join(work, "ipfilter-lt-export.txt")
	var b strings.Builder
	for _, r := range ranges {
		fmt.Fprintf(&b, "%v %v\n", r.First, r.Last)
	}
	if err := os.WriteFile(pairs, []byte(b.String()), 0o644); err != nil {
		return 0, 0, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, interop.Python, "-c", ltIPFilterScript, pairs, strconv.Itoa(ipfilterRuns), exported)
	cmd.SysProcAttr = procAttr()
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr interop.TailBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var out struct {
		Seconds float64 `json:"seconds"`
		CPU     float64 `json:"cpu"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout.String())), &out); err != nil || runErr != nil {
		return 0, 0, nil, fmt.Errorf("%w: libtorrent: %v %v\n--- stderr ---\n%s", ErrIPFilter, runErr, err, stderr.String())
	}
	data, err := os.ReadFile(exported)
	if err != nil {
		return 0, 0, nil, err
	}
	return out.Seconds, out.CPU, strings.Split(strings.TrimSpace(string(data)), "\n"), nil
}

// compareExports says whether two exports ("first last" lines) hold the
// same ranges, comparing addresses rather than their spelling.
func compareExports(ours, lt []string) string {
	same := func(a, b string) bool {
		fa, fb := strings.Fields(a), strings.Fields(b)
		if len(fa) != 2 || len(fb) != 2 {
			return false
		}
		for i := range 2 {
			x, err1 := netip.ParseAddr(fa[i])
			y, err2 := netip.ParseAddr(fb[i])
			if err1 != nil || err2 != nil || x != y {
				return false
			}
		}
		return true
	}
	for i := range min(len(ours), len(lt)) {
		if !same(ours[i], lt[i]) {
			return fmt.Sprintf("exports DIFFER at range %d: ours %q, libtorrent %q", i, ours[i], lt[i])
		}
	}
	if len(ours) != len(lt) {
		return fmt.Sprintf("exports DIFFER: %d ranges ours, %d libtorrent", len(ours), len(lt))
	}
	return "exports identical"
}

// makeBlocklist returns a P2P list of n ranges in random order, as
// published lists are (sorted by description, not address), and the
// ranges: IPv4 ranges of 1 to 65536 addresses anywhere in unicast space,
// every tenth starting inside an earlier one, every twentieth an IPv6
// range under 2000::/3.
func makeBlocklist(n int) ([]byte, []ipfilter.IPRange) {
	rng := rand.New(rand.NewPCG(2026, 8))
	w := &bytes.Buffer{}
	bw := bufio.NewWriter(w)
	ranges := make([]ipfilter.IPRange, 0, n)
	var starts []uint32
	words := []string{"Networks", "Telecom", "Hosting", "Research", "Media", "Security", "Cloud", "Labs"}
	for i := range n {
		var r ipfilter.IPRange
		switch {
		case i%20 == 19:
			var a [16]byte
			binary.BigEndian.PutUint64(a[:8], 0x2000_0000_0000_0000|rng.Uint64()>>3&^0xffff_ffff)
			r.First = netip.AddrFrom16(a)
			binary.BigEndian.PutUint64(a[:8], binary.BigEndian.Uint64(a[:8])|uint64(rng.IntN(1<<16)))
			binary.BigEndian.PutUint64(a[8:], ^uint64(0))
			r.Last = netip.AddrFrom16(a)
		default:
			start := 1<<24 + rng.Uint32N(222<<24)
			if i%10 == 9 && len(starts) > 0 {
				start = starts[rng.IntN(len(starts))] + rng.Uint32N(256)
			}
			size := uint32(1) << rng.IntN(17)
			starts = append(starts, start)
			r.First, r.Last = v4Addr(start), v4Addr(uint32(min(uint64(start)+uint64(rng.Uint32N(size)), 1<<32-1)))
		}
		r.Flags = ipfilter.Blocked
		ranges = append(ranges, r)
		fmt.Fprintf(bw, "%s %s %d, Inc.:%v-%v\n", words[rng.IntN(len(words))], words[rng.IntN(len(words))], i, r.First, r.Last)
	}
	_ = bw.Flush()
	return w.Bytes(), ranges
}

// selfCPU is the user and system CPU time of this process so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func v4Addr(x uint32) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], x)
	return netip.AddrFrom4(b)
}
