package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/actorrent/actorrent/internal/interop"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrDownload means a download did not complete.
var ErrDownload = errors.New("bench: download failed")

// demoPackage is built rather than run with "go run" so that compilation
// never counts as download time.
const demoPackage = "github.com/actorrent/actorrent/cmd/demo"

// buildTimeout bounds "go build" of the demo.
const buildTimeout = 5 * time.Minute

// exitGrace is how much longer than the demo's own -timeout we wait before
// killing it: its timeout should fire first and explain itself.
const exitGrace = 30 * time.Second

// buildDemo compiles cmd/demo into dir and returns the binary's path.
func buildDemo(ctx context.Context, dir string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	bin := filepath.Join(dir, "demo")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, demoPackage)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("bench: go build %s: %w\n%s", demoPackage, err, out)
	}
	return bin, nil
}

// summaryRE matches the demo's last line: "downloaded N bytes in S s (X MiB/s)".
var summaryRE = regexp.MustCompile(`downloaded (\d+) bytes in ([0-9.]+) ?s`)

// runOurs downloads the payload with "demo download" as a child process
// into saveDir. Wall time runs from just before the process is started to
// its exit, the time a user of the command waits; runLibtorrent measures
// libtorrent the same way, so both include process start-up (Go runtime
// versus Python and the libtorrent import) and session shutdown. CPU time
// and peak RSS are the child's own, from wait4's rusage.
func runOurs(ctx context.Context, c config, tr transfer, bin string, p payload, seeder, saveDir string, run int) (result, error) {
	r := result{side: sideOurs, run: run}
	if err := os.MkdirAll(saveDir, 0o755); err != nil {
		return r, fmt.Errorf("bench: ours: %w", err)
	}
	args := []string{"download", "-resume-dir", "", "-listen", "127.0.0.1:0", "-peer", seeder, "-o", saveDir, "-timeout", c.timeout.String()}
	if c.cpuProfile != "" {
		args = append(args, "-cpuprofile", filepath.Join(c.cpuProfile, tr.profile(run)))
	}
	args = append(args, tr.demoArgs...)
	args = append(args, p.torrent)

	ctx, cancel := context.WithTimeout(ctx, c.timeout+exitGrace)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.SysProcAttr = procAttr()
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr interop.TailBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	start := time.Now()
	err := cmd.Start()
	if err == nil {
		stop := sampleAnon(cmd.Process.Pid)
		err = cmd.Wait()
		r.anon = stop()
	}
	r.wall = time.Since(start)
	if err != nil {
		return r, fmt.Errorf("%w: ours run %d: %s %s: %v\n--- stdout ---\n%s\n--- stderr ---\n%s",
			ErrDownload, run, bin, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		r.rssKiB = ru.Maxrss // KiB on Linux
		r.note = fmt.Sprintf("usr=%.2fs sys=%.2fs ", time.Duration(ru.Utime.Nano()).Seconds(), time.Duration(ru.Stime.Nano()).Seconds())
	}
	m := summaryRE.FindStringSubmatch(stdout.String())
	if m == nil {
		r.note += "(no summary line on stdout)"
		return r, nil
	}
	r.note += fmt.Sprintf("demo_says=%ss", m[2])
	// The SHA-1 check is what decides; a different count (wire bytes, say)
	// is only worth showing.
	if n, _ := strconv.ParseInt(m[1], 10, 64); n != p.size {
		r.note += fmt.Sprintf(" demo_bytes=%d", n)
	}
	return r, nil
}
