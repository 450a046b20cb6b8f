package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/actorrent/actorrent"
	"github.com/actorrent/actorrent/internal/scalefmt"
)

// demo scale add N SAVE | idle N SAVE SECONDS: our side of make bench's
// scale_* lines, in a process of its own so that its RSS holds only the
// session and its torrents. add: seconds to parse and add N paused
// torrents, and VmRSS before and after; idle: N started torrents without
// peers, then the CPU used over SECONDS, the median of 5 GetTorrentStatus
// of them all, and Close. It prints one JSON object. To see where time and
// memory go, name files in ACTORRENT_BENCH_SCALE_CPU (the measured
// phase's CPU profile), ACTORRENT_BENCH_SCALE_CPU_ADD (idle: the add's) or
// ACTORRENT_BENCH_SCALE_HEAP (add: a heap profile after it);
// ACTORRENT_BENCH_SCALE_CPU_STATUS profiles idle's five status calls and
// ACTORRENT_BENCH_SCALE_TIMES prints their times on stderr.
func runScale(args []string, stdout io.Writer) error {
	r, err := scaleChild(args)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(r)
}

// scaleFigures is what `demo scale` prints (make bench reads it).
type scaleFigures = scalefmt.Result

func scaleChild(args []string) (scaleFigures, error) {
	if len(args) < 3 {
		return scaleFigures{}, usageErrorf("scale: want add N SAVE, or idle N SAVE SECONDS")
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 0 {
		return scaleFigures{}, usageErrorf("scale: N is a count of torrents, not %q", args[1])
	}
	var idle time.Duration
	switch {
	case args[0] == "add" && len(args) == 3:
	case args[0] == "idle" && len(args) == 4:
		secs, err := strconv.ParseFloat(args[3], 64)
		if err != nil || secs < 0 {
			return scaleFigures{}, usageErrorf("scale: SECONDS is a duration in seconds, not %q", args[3])
		}
		idle = time.Duration(secs * float64(time.Second))
	default:
		return scaleFigures{}, usageErrorf("scale: want add N SAVE, or idle N SAVE SECONDS")
	}
	raw := scaleTorrents(n)
	ctx := context.Background()
	s, err := actorrent.NewSession(ctx, scaleSettings())
	if err != nil {
		return scaleFigures{}, err
	}
	if args[0] == "idle" {
		return scaleIdle(ctx, s, raw, args[2], idle) // measures Close
	}
	defer s.Close(ctx) // after the figures: not this line's (lt_scale.py neither)
	return scaleAddPaused(ctx, s, raw, args[2])
}

// scaleAddPaused measures adding raw paused: seconds, and VmRSS before
// and after.
func scaleAddPaused(ctx context.Context, s *actorrent.Session, raw [][]byte, save string) (scaleFigures, error) {
	var r scaleFigures
	settle()
	r.RSSBeforeKiB = vmRSSKiB()
	stop := cpuProfile("ACTORRENT_BENCH_SCALE_CPU")
	t0 := time.Now()
	if _, err := scaleAdd(ctx, s, raw, save, actorrent.FlagPaused); err != nil {
		return r, err
	}
	r.Seconds = time.Since(t0).Seconds()
	stop()
	settle()
	r.RSSAfterKiB = vmRSSKiB()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r.HeapKiB = int64(ms.HeapInuse >> 10)
	if p := os.Getenv("ACTORRENT_BENCH_SCALE_HEAP"); p != "" {
		if f, err := os.Create(p); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	return r, nil
}

// scaleIdle adds raw started and, once they are checked, measures the
// status of them all, the CPU used over idle, and Close.
func scaleIdle(ctx context.Context, s *actorrent.Session, raw [][]byte, save string, idle time.Duration) (scaleFigures, error) {
	var r scaleFigures
	stopAdd := cpuProfile("ACTORRENT_BENCH_SCALE_CPU_ADD")
	t0 := time.Now()
	hs, err := scaleAdd(ctx, s, raw, save, 0)
	if err != nil {
		return r, err
	}
	if err := waitChecked(ctx, hs); err != nil {
		return r, err
	}
	r.AddSeconds = time.Since(t0).Seconds()
	stopAdd()
	_, _ = s.PopAlerts(ctx)
	stop := cpuProfile("ACTORRENT_BENCH_SCALE_CPU")
	c0 := selfCPU()
	t0 = time.Now()
	time.Sleep(idle)
	r.CPUSeconds, r.WallSeconds = (selfCPU() - c0).Seconds(), time.Since(t0).Seconds()
	stop()
	// scale_status_10k: the status of the idle torrents, one bulk call
	// without costly fields, the median of 5 (lt_scale.py:
	// get_torrent_status(lambda st: True, 0) likewise), refreshing one
	// slice as a UI would (AppendTorrentStatus).
	var times []time.Duration
	var sts []actorrent.TorrentStatus
	stopStatus := cpuProfile("ACTORRENT_BENCH_SCALE_CPU_STATUS")
	for range 5 {
		t0 = time.Now()
		sts, err = s.AppendTorrentStatus(ctx, sts[:0], func(actorrent.TorrentStatus) bool { return true }, 0)
		if err != nil {
			return r, err
		}
		times = append(times, time.Since(t0))
		r.StatusCount = len(sts)
	}
	stopStatus()
	if os.Getenv("ACTORRENT_BENCH_SCALE_TIMES") != "" {
		fmt.Fprintln(os.Stderr, "status times:", times)
	}
	slices.Sort(times)
	r.StatusSeconds = times[2].Seconds()
	t0 = time.Now()
	if err := s.Close(ctx); err != nil {
		return r, err
	}
	r.CloseSeconds = time.Since(t0).Seconds()
	return r, nil
}

// cpuProfile starts a CPU profile into the file named by the environment
// variable env, if set (for finding where the time goes); the result
// stops it.
func cpuProfile(env string) (stop func()) {
	p := os.Getenv(env)
	if p == "" {
		return func() {}
	}
	f, err := os.Create(p)
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// scaleSettings keep the session to loopback and off the network's
// services, as lt_scale.py's.
func scaleSettings() actorrent.SettingsPack {
	p := actorrent.SettingsPack{}
	p.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	p.SetBool(actorrent.EnableDHT, false)
	p.SetBool(actorrent.EnableLSD, false)
	p.SetBool(actorrent.EnableUPnP, false) // no gateway asked
	p.SetBool(actorrent.EnableNATPMP, false)
	p.SetBool(actorrent.EnableUPnP, false)
	p.SetBool(actorrent.EnableNATPMP, false)
	return p
}

// scaleTorrents are n distinct one-file torrents (16 KiB, one piece),
// bencoded as lt_scale.py makes them.
func scaleTorrents(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		name := "scale-" + strconv.Itoa(i)
		out[i] = fmt.Appendf(nil, "d4:infod6:lengthi16384e4:name%d:%s12:piece lengthi16384e6:pieces20:%020dee", len(name), name, i)
	}
	return out
}

// scaleAdd parses and adds every torrent with AsyncAddTorrent and waits
// for their add_torrent alerts.
func scaleAdd(ctx context.Context, s *actorrent.Session, raw [][]byte, save string, flags actorrent.AddTorrentFlags) ([]actorrent.TorrentHandle, error) {
	for _, b := range raw {
		ti, err := actorrent.ParseTorrent(b)
		if err != nil {
			return nil, err
		}
		if err := s.AsyncAddTorrent(actorrent.AddTorrentParams{TI: ti, SavePath: save, Flags: flags}); err != nil {
			return nil, err
		}
	}
	hs := make([]actorrent.TorrentHandle, 0, len(raw))
	for len(hs) < len(raw) {
		if err := s.WaitForAlert(ctx); err != nil {
			return nil, err
		}
		as, err := s.PopAlerts(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			if a, ok := a.(actorrent.AddTorrentAlert); ok {
				if a.Error != nil {
					return nil, a.Error
				}
				hs = append(hs, a.Handle)
			}
		}
	}
	return hs, nil
}

// waitChecked waits until no torrent is checking its (missing) files.
func waitChecked(ctx context.Context, hs []actorrent.TorrentHandle) error {
	for {
		checking := 0
		for _, h := range hs {
			st, err := h.Status(ctx)
			if err != nil {
				return err
			}
			switch st.State {
			case actorrent.CheckingFiles, actorrent.CheckingResumeData, actorrent.QueuedForChecking:
				checking++
			}
		}
		if checking == 0 {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// settle collects garbage and returns free pages to the system, so that
// RSS shows what is live (the runtime would do it within minutes).
func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// vmRSSKiB is this process's VmRSS, as lt_scale.py reads its own.
func vmRSSKiB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			if f := bytes.Fields(v); len(f) > 0 {
				n, _ := strconv.ParseInt(string(f[0]), 10, 64)
				return n
			}
		}
	}
	return 0
}

// selfCPU is the user and system CPU time of this process so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
