package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// demoBin is the demo binary, built once by TestMain; demoBinEnv hands
// it to the test binary's children.
var demoBin string

const demoBinEnv = "ACTORRENT_DEMO_BIN"

// TestMain builds the binary the tests run as separate processes, and
// fails the package if a test leaves a goroutine behind.
func TestMain(m *testing.M) {
	// A test re-run in a network namespace of its own
	// (interop.InOwnNetns) runs the binary its parent built.
	if bin := os.Getenv(demoBinEnv); bin != "" {
		demoBin = bin
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "demo-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	demoBin = filepath.Join(dir, "demo")
	out, err := exec.Command("go", "build", "-o", demoBin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		_ = os.RemoveAll(dir)
		os.Exit(1)
	}
	// Resume data goes under the user's cache directory by default: keep
	// the tests' (and the processes they start) in the temp dir. Only
	// after the build: go's build cache is under it too, and an empty one
	// rebuilt every package each run (three minutes on a busy machine,
	// counted against the package's test timeout).
	if err := os.Setenv(demoBinEnv, demoBin); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// result is how a demo process ended.
type result struct {
	stdout, stderr string
	code           int
}

// runDemo runs the binary to completion within timeout (then it is
// killed), with extra environment variables env ("K=V").
func runDemo(t *testing.T, timeout time.Duration, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, demoBin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
	if ctx.Err() != nil {
		t.Fatalf("demo %v: killed after %v\nstdout: %s\nstderr: %s", args, timeout, r.stdout, r.stderr)
	}
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatalf("demo %v: %v", args, err)
	}
	return r
}

// oneLineFailure checks that r failed with exit code want and gave its
// reason as the last stderr line, the only one starting "demo: ", which
// contains every part of wantIn. Progress lines may come before it.
func oneLineFailure(t *testing.T, r result, want int, wantIn ...string) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, want, r.stdout, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "demo: ") || strings.Count(r.stderr, "demo: ") != 1 {
		t.Fatalf("stderr does not end in one \"demo: \" line: %q", r.stderr)
	}
	for _, w := range wantIn {
		if !strings.Contains(last, w) {
			t.Errorf("reason %q does not mention %q", last, w)
		}
	}
}

// onlyLine checks that stderr is a single line.
func onlyLine(t *testing.T, r result) {
	t.Helper()
	if strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr is not one line: %q", r.stderr)
	}
}

// proc is a demo process running in the background.
type proc struct {
	t     *testing.T
	cmd   *exec.Cmd
	lines chan string // stdout, line by line; closed at EOF
	// stderr collects the process's stderr for failure messages.
	stderr *lockedBuffer
	done   chan struct{}
}

// startDemo starts the binary in the background; the test's cleanup stops
// it (SIGINT, then SIGKILL after a deadline).
func startDemo(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, cmd: exec.Command(demoBin, args...), lines: make(chan string, 100),
		stderr: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd.Stderr = p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case p.lines <- sc.Text():
			default: // nobody waits for that many lines; never block the pipe
			}
		}
		_, _ = io.Copy(io.Discard, out)
		close(p.lines)
		_ = p.cmd.Wait() // after stdout is drained, as exec requires
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(15 * time.Second) })
	return p
}

// waitLine returns the first stdout line starting with prefix.
func (p *proc) waitLine(prefix string, timeout time.Duration) string {
	p.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				p.t.Fatalf("demo exited before printing %q\nstderr: %s", prefix, p.stderr.String())
			}
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case <-deadline.C:
			p.t.Fatalf("no %q line within %v\nstderr: %s", prefix, timeout, p.stderr.String())
		}
	}
}

// stop sends SIGINT, waits up to grace, then kills; it returns the exit
// code (-1 when it had to kill).
func (p *proc) stop(grace time.Duration) int {
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
		return -1
	}
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
