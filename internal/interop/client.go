package interop

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clientProc is one run of a command-line BitTorrent client (aria2c,
// transmission-cli): started in its own process group, its output kept
// line by line so that callers can wait for a line, stopped by PID. It is
// the part Aria2 and Transmission share; what a line means is theirs.
type clientProc struct {
	name string // for messages: "aria2c", "transmission-cli"
	cmd  *exec.Cmd
	pid  int
	dir  string // temp dir of the run (config, logs), removed by stop

	mu      sync.Mutex
	lines   []string      // every output line (stdout and stderr), in order
	changed chan struct{} // closed and replaced whenever lines grows
	waitErr error         // cmd.Wait result, valid once done is closed

	done chan struct{} // closed once the process exited and its output drained
	// stopped, when set, runs in stop once the process has ended and
	// before its run directory goes (to keep a log file from it).
	stopped  func()
	stopOnce sync.Once
	stopErr  error
}

// startClient starts bin with args in dir's run; the process's stdout and
// stderr are read into lines until it exits.
func startClient(name, dir, bin string, args ...string) (*clientProc, error) {
	p := &clientProc{name: name, dir: dir, changed: make(chan struct{}), done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.SysProcAttr = procAttr()
	p.cmd.Dir = dir
	// Clients read their configuration from $HOME (~/.aria2, ~/.config):
	// point it at the run's directory so the user's is neither read nor
	// written.
	p.cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir)
	// One pipe for both streams, so that lines keep their order.
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	p.cmd.Stdout = w
	p.cmd.Stderr = w
	err = p.cmd.Start()
	_ = w.Close() // the child has its copy; EOF comes when it (and its children) exit
	if err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrStart, bin, err)
	}
	p.pid = p.cmd.Process.Pid
	go func() {
		p.readLines(r)
		_ = r.Close()
		werr := p.cmd.Wait()
		p.mu.Lock()
		p.waitErr = werr
		p.mu.Unlock()
		close(p.done)
	}()
	return p, nil
}

// readLines records the output; transmission-cli redraws its progress line
// with '\r', so both ends of line count.
func (p *clientProc) readLines(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	sc.Split(scanCRLines)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		p.mu.Lock()
		if n := len(p.lines); n > 0 && p.lines[n-1] == line {
			// transmission-cli redraws the same status line every second.
			p.mu.Unlock()
			continue
		}
		p.lines = append(p.lines, line)
		close(p.changed)
		p.changed = make(chan struct{})
		p.mu.Unlock()
	}
	_, _ = io.Copy(io.Discard, r) // a line past 1 MiB: keep draining
}

// scanCRLines is bufio.ScanLines that also ends a line at '\r'.
func scanCRLines(data []byte, atEOF bool) (int, []byte, error) {
	for i, c := range data {
		if c == '\n' || c == '\r' {
			return i + 1, data[:i], nil
		}
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// waitLine returns the first output line for which match returns true,
// searching from line index from, and the index after it. It fails when
// ctx ends or the process exits without such a line.
func (p *clientProc) waitLine(ctx context.Context, from int, what string, match func(string) bool) (string, int, error) {
	for {
		p.mu.Lock()
		for i := from; i < len(p.lines); i++ {
			if match(p.lines[i]) {
				line := p.lines[i]
				p.mu.Unlock()
				return line, i + 1, nil
			}
		}
		from = len(p.lines)
		changed := p.changed
		exited := isClosed(p.done)
		p.mu.Unlock()
		if exited {
			return "", from, fmt.Errorf("%w: %s before %s (%s)\n%s", ErrExited, p.name, what, p.exitStatus(), p.tail(30))
		}
		select {
		case <-ctx.Done():
			return "", from, fmt.Errorf("interop: %s: waiting for %s: %w\n%s", p.name, what, context.Cause(ctx), p.tail(30))
		case <-changed:
		case <-p.done:
		}
	}
}

// exitStatus describes how the process ended; it is valid once done is
// closed.
func (p *clientProc) exitStatus() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.waitErr == nil {
		return "exit status 0"
	}
	return p.waitErr.Error()
}

// waitExit waits for the process to end by itself and fails unless it
// exited with status 0.
func (p *clientProc) waitExit(ctx context.Context) error {
	select {
	case <-p.done:
	case <-ctx.Done():
		return fmt.Errorf("interop: %s: waiting for exit: %w\n%s", p.name, context.Cause(ctx), p.tail(30))
	}
	p.mu.Lock()
	werr := p.waitErr
	p.mu.Unlock()
	if werr != nil {
		return fmt.Errorf("%w: %s: %v\n%s", ErrExited, p.name, werr, p.tail(30))
	}
	return nil
}

// log is every output line, for test failure messages.
func (p *clientProc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// tail is the last n lines of the output, for error messages.
func (p *clientProc) tail(n int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := p.lines
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// stop ends the process group: SIGTERM (both clients then shut down
// cleanly, flushing their caches and closing their files), SIGKILL after
// stopGrace, and removes the run's directory. It is idempotent and
// returns an error only when the process had already failed on its own.
func (p *clientProc) stop() error {
	p.stopOnce.Do(func() {
		exitedBefore := isClosed(p.done)
		if !exitedBefore { // once reaped, the pid may belong to someone else
			_ = signalGroup(p.pid, syscall.SIGTERM)
			if !waitClosed(p.done, stopGrace) {
				_ = signalGroup(p.pid, syscall.SIGKILL)
				<-p.done
			}
		}
		if p.stopped != nil {
			p.stopped()
		}
		_ = os.RemoveAll(p.dir)
		p.mu.Lock()
		werr := p.waitErr
		p.mu.Unlock()
		if exitedBefore && werr != nil && !exitedBySignal(werr) {
			p.stopErr = fmt.Errorf("%w: %s: %v", ErrExited, p.name, werr)
		}
	})
	return p.stopErr
}

// clientTimeout bounds a client run when the caller gives no timeout: the
// process ends itself (aria2c --stop) or is killed by its run's owner.
const clientTimeout = 120 * time.Second
