//go:build linux

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// anonInterval is how often /proc/PID/status is read: often enough to see
// a peak lasting a tenth of a second, cheap enough (a few µs a read) not to
// disturb the measurement.
const anonInterval = 20 * time.Millisecond

// sampleAnon polls pid's RssAnon (heap, stacks, anonymous mmaps: memory
// the process owns, without file pages it has mapped) until the returned
// function is called, which returns the peak seen in KiB. It matters
// because libtorrent 2 maps the files it writes: its max RSS counts the
// page cache of the whole download, while ours (pwrite) does not.
func sampleAnon(pid int) (stop func() int64) {
	quit, done := make(chan struct{}), make(chan int64, 1)
	go func() {
		var peak int64
		t := time.NewTicker(anonInterval)
		defer t.Stop()
		for {
			peak = max(peak, readAnonKiB(pid))
			select {
			case <-quit:
				done <- max(peak, readAnonKiB(pid))
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(quit)
		return <-done
	}
}

// readAnonKiB returns pid's RssAnon in KiB, or 0 when it cannot be read
// (the process has exited, say).
func readAnonKiB(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("RssAnon:")); ok {
			f := bytes.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(string(f[0]), 10, 64)
				return n
			}
		}
	}
	return 0
}

// childWithArg finds a child of this process whose command line has arg
// as one argument (interop does not expose its process ids), or 0.
func childWithArg(arg string) int {
	me := []byte(strconv.Itoa(os.Getpid()))
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// "pid (comm) state ppid ...": comm may hold spaces, so split after ')'.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(b[i+1:])
		if len(f) < 2 || !bytes.Equal(f[1], me) {
			continue
		}
		dir := filepath.Dir(st)
		cmdline, err := os.ReadFile(filepath.Join(dir, "cmdline"))
		if err != nil {
			continue
		}
		for _, a := range bytes.Split(cmdline, []byte{0}) {
			if string(a) == arg {
				pid, _ := strconv.Atoi(filepath.Base(dir))
				return pid
			}
		}
	}
	return 0
}

// clockTick is the unit of utime and stime in /proc/PID/stat: USER_HZ,
// 100 on every Linux ABI Go supports.
const clockTick = 10 * time.Millisecond

// cpuTime returns pid's user+system CPU time so far, or 0 when it cannot
// be read. The bench uses it on the seeder, which it does not wait for.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	// After "pid (comm)": state is field 3, utime 14 and stime 15.
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(string(f[11]), 10, 64)
	st, _ := strconv.ParseInt(string(f[12]), 10, 64)
	return time.Duration(ut+st) * clockTick
}
