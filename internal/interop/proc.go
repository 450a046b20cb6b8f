//go:build unix

package interop

import (
	"bytes"
	"errors"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// signalGroup sends sig to the process group led by pid. ESRCH (already
// gone) is not an error: stopping is idempotent.
func signalGroup(pid int, sig syscall.Signal) error {
	if pid <= 0 {
		return nil
	}
	err := syscall.Kill(-pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// waitClosed reports whether ch is closed within d.
func waitClosed(ch <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
		return true
	case <-t.C:
		return false
	}
}

// isClosed reports whether ch is already closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// terminate ends the process group of pid whose exit closes done: first
// politely (the caller has already closed stdin, if any), then SIGTERM
// after grace, then SIGKILL after another grace. It returns once done is
// closed; after SIGKILL that is only a matter of the kernel reaping it.
// signalled says the process did not end politely within grace.
func terminate(pid int, done <-chan struct{}, grace time.Duration) (signalled bool) {
	if waitClosed(done, grace) {
		return false
	}
	_ = signalGroup(pid, syscall.SIGTERM)
	if waitClosed(done, grace) {
		return true
	}
	_ = signalGroup(pid, syscall.SIGKILL)
	<-done
	return true
}

// exitedBySignal reports whether err says the process died of a signal
// (which is what Stop does to it, so it is not a failure).
func exitedBySignal(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled()
}

// maxCapture bounds what a TailBuffer keeps; the tail is what matters
// when a test fails.
const maxCapture = 1 << 20

// TailBuffer is an io.Writer safe for the exec copying goroutine writing
// and a reader at once. It keeps the last maxCapture bytes: the end of a
// child's output is what explains a failure.
type TailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p, dropping the oldest bytes beyond maxCapture.
func (b *TailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if over := b.buf.Len() - maxCapture; over > 0 {
		b.buf.Next(over)
	}
	return len(p), nil
}

// String returns the captured bytes.
func (b *TailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
