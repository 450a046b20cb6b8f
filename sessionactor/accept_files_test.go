package sessionactor

import (
	"errors"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// The warning is for EMFILE and ENFILE only, at most once a second.
func TestOutOfFilesDue(t *testing.T) {
	emfile := &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var o outOfFiles
	for i, s := range []struct {
		err  error
		at   time.Duration
		want bool
	}{
		{errors.New("other"), 0, false},
		{emfile, 0, true},
		{emfile, 500 * time.Millisecond, false},
		{syscall.ENFILE, 999 * time.Millisecond, false},
		{syscall.ENFILE, time.Second, true},
		{syscall.ECONNABORTED, 3 * time.Second, false},
		{emfile, 3 * time.Second, true},
	} {
		if got := o.due(s.err, t0.Add(s.at)); got != s.want {
			t.Errorf("step %d (%v at %s): due %v, want %v", i, s.err, s.at, got, s.want)
		}
	}
}

// failingListener fails every Accept with EMFILE until closed.
type failingListener struct {
	net.Listener
	closed chan struct{}
	once   sync.Once
}

func (l *failingListener) Accept() (net.Conn, error) {
	select {
	case <-l.closed:
		return nil, net.ErrClosed
	default:
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
}

func (l *failingListener) Close() error { l.once.Do(func() { close(l.closed) }); return nil }

// An accept loop out of file descriptors posts too_few_file_descriptors
// once a second while it lasts (virtual time), not at every retry.
func TestAcceptOutOfFilesWarns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := actors.NewSystem(nil)
		var mu sync.Mutex
		var got []*messages.PerformanceAlert
		alerts := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
			if m, ok := c.Message().(*messages.PostAlert); ok {
				mu.Lock()
				got = append(got, m.Alert.(*messages.PerformanceAlert))
				mu.Unlock()
			}
		}))
		self := sys.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
		l := &failingListener{closed: make(chan struct{})}
		done := make(chan struct{})
		go func() {
			defer close(done)
			acceptLoop(l, sys.Root, self, nil, alerts)
		}()
		time.Sleep(2500 * time.Millisecond) // 250 failed accepts
		l.Close()
		<-done
		synctest.Wait()
		mu.Lock()
		n := len(got)
		for _, a := range got {
			if a.WarningCode != messages.TooFewFileDescriptors || a.Message() == "" {
				t.Errorf("warning %v: %q", a.WarningCode, a.Message())
			}
		}
		mu.Unlock()
		if n != 3 {
			t.Errorf("%d warnings in 2.5 s of failed accepts, want 3", n)
		}
		sys.Shutdown()
		time.Sleep(sys.Config.DeadLetterThrottleInterval + time.Second)
	})
}
