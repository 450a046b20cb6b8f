package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// ltHashingThreads is libtorrent's hashing_threads in the recheck lines.
const ltHashingThreads = 2

//go:embed lt_check.py
var ltCheckScript []byte

// checkOutcome is one side's check: its speed in GiB/s and a detail note.
type checkOutcome struct {
	rate float64
	note string
}

// checkLineRE matches demo check's summary: "N/M pieces ok, X GiB in S s (R GiB/s)".
var checkLineRE = regexp.MustCompile(`(\d+)/(\d+) pieces ok, [0-9.]+ GiB in ([0-9.]+) s`)

// checkOurs runs "demo check" on p. The speed is the demo's own, from the
// add to the end of the check (as libtorrent's is): process start and the
// session's start and close are shown as wall time in the note.
func checkOurs(ctx context.Context, c config, demo string, p checkPayload, cpuProfile string) (checkOutcome, error) {
	var o checkOutcome
	args := []string{"check"}
	if cpuProfile != "" {
		args = append(args, "-cpuprofile", cpuProfile)
	}
	args = append(args, p.torrent, p.save)
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, demo, args...)
	cmd.SysProcAttr = procAttr()
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr interop.TailBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return o, fmt.Errorf("%s %s: %v\n--- stdout ---\n%s\n--- stderr ---\n%s",
			demo, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	m := checkLineRE.FindStringSubmatch(stdout.String())
	if m == nil {
		return o, fmt.Errorf("no summary line in %q", stdout.String())
	}
	if m[1] != m[2] {
		return o, fmt.Errorf("only %s of %s pieces passed", m[1], m[2])
	}
	secs, _ := strconv.ParseFloat(m[3], 64)
	o.rate = float64(p.size) / (1 << 30) / secs
	o.note = fmt.Sprintf("check=%.3fs wall=%.2fs", secs, wall.Seconds())
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		o.note += fmt.Sprintf(" cpu=%.2fs", time.Duration(ru.Utime.Nano()+ru.Stime.Nano()).Seconds())
	}
	return o, nil
}

// ltCheckEvent is lt_check.py's one line of output.
type ltCheckEvent struct {
	Event      string  `json:"event"`
	Message    string  `json:"message"`
	Seconds    float64 `json:"seconds"`
	PiecesOK   int     `json:"pieces_ok"`
	NumPieces  int     `json:"num_pieces"`
	CPUSeconds float64 `json:"cpu_seconds"`
}

// checkLibtorrent runs a full check of p by python3-libtorrent with
// hashing_threads = 2, timed inside the script from just before
// add_torrent to torrent_checked_alert.
func checkLibtorrent(ctx context.Context, c config, p checkPayload) (checkOutcome, error) {
	var o checkOutcome
	if err := interop.Available(); err != nil {
		return o, err
	}
	dir, err := os.MkdirTemp("", "actorrent-bench-lt-")
	if err != nil {
		return o, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "lt_check.py")
	if err := os.WriteFile(script, ltCheckScript, 0o644); err != nil {
		return o, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, interop.Python, "-u", script, "--torrent", p.torrent, "--save", p.save,
		"--hashing-threads", strconv.Itoa(ltHashingThreads), "--timeout", strconv.FormatFloat(c.timeout.Seconds(), 'f', 0, 64))
	cmd.SysProcAttr = procAttr()
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr interop.TailBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	runErr := cmd.Run()
	wall := time.Since(start)
	var ev ltCheckEvent
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout.String())), &ev); err != nil || runErr != nil || ev.Event != "checked" {
		return o, fmt.Errorf("lt_check.py: %v %s\n--- stdout ---\n%s\n--- stderr ---\n%s",
			runErr, ev.Message, stdout.String(), stderr.String())
	}
	if ev.PiecesOK != ev.NumPieces {
		return o, fmt.Errorf("libtorrent: only %d of %d pieces passed", ev.PiecesOK, ev.NumPieces)
	}
	o.rate = float64(p.size) / (1 << 30) / ev.Seconds
	o.note = fmt.Sprintf("check=%.3fs wall=%.2fs cpu=%.2fs", ev.Seconds, wall.Seconds(), ev.CPUSeconds)
	return o, nil
}
