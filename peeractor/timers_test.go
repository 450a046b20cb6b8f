package peeractor

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// torrentStub is the peer actor's parent: it spawns the peer and keeps
// what the peer tells its torrent.
type torrentStub struct {
	cfg  Config
	mu   *sync.Mutex
	msgs *[]any
}

func (s *torrentStub) Receive(c actor.Context) {
	switch c.Message().(type) {
	case *actor.Started:
		c.Spawn(New(s.cfg))
	case *messages.PeerConnected, *messages.PeerClosed:
		s.mu.Lock()
		*s.msgs = append(*s.msgs, c.Message())
		s.mu.Unlock()
	}
}

// pipePeer runs a peer actor on one end of a net.Pipe, as an incoming
// connection, and returns the remote end after the handshakes. Everything
// stops when the test's bubble ends.
type pipePeer struct {
	remote net.Conn
	sys    *actor.ActorSystem
	parent *actor.PID
	mu     sync.Mutex
	msgs   []any
}

func startPipePeer(t *testing.T, inactivity time.Duration) *pipePeer {
	t.Helper()
	local, remote := net.Pipe()
	info := &metainfo.Info{Name: "x", PieceLength: 16 << 10, Pieces: make([][20]byte, 4), TotalLength: 64 << 10}
	var ours, theirs [20]byte
	copy(ours[:], "-TT0000-ours--------")
	copy(theirs[:], "-TT0000-theirs------")
	hs := wire.Handshake{PeerID: theirs}
	p := &pipePeer{remote: remote, sys: actors.NewSystem(nil)}
	cfg := Config{
		Key: 1, PeerID: ours, Info: info, Have: bitfield.New(4), Credit: actors.NewCredit(1 << 20),
		Conn: local, Handshake: &hs, Settings: settingsWith(t, map[string]any{"peer_timeout": int(inactivity / time.Second)}),
	}
	p.parent = p.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return &torrentStub{cfg: cfg, mu: &p.mu, msgs: &p.msgs}
	}))
	if _, err := wire.ReadHandshake(remote); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		remote.Close()
		_ = p.sys.Root.StopFuture(p.parent).Wait()
		p.sys.Shutdown()
		// protoactor's dead-letter throttle waits one interval on a
		// goroutine of its own; let virtual time run it out so the bubble
		// ends with no goroutine left.
		time.Sleep(p.sys.Config.DeadLetterThrottleInterval + time.Second)
	})
	return p
}

func (p *pipePeer) closed() *messages.PeerClosed {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.msgs {
		if c, ok := m.(*messages.PeerClosed); ok {
			return c
		}
	}
	return nil
}

// readAll records when each message from our side arrives, until EOF.
func (p *pipePeer) readAll() (got func() []time.Duration, done chan error) {
	var mu sync.Mutex
	var at []time.Duration
	start := time.Now()
	done = make(chan error, 1)
	go func() {
		r := wire.NewReader(p.remote)
		for {
			m, err := r.ReadMessage()
			if err != nil {
				done <- err
				return
			}
			if m.KeepAlive {
				mu.Lock()
				at = append(at, time.Since(start))
				mu.Unlock()
			}
		}
	}()
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), at...)
	}, done
}

// With nothing to send, the peer sends a keep-alive once keepAliveInterval
// has passed, and again after each further interval (virtual time).
func TestKeepAliveAfterInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := startPipePeer(t, time.Hour)
		keepAlives, _ := p.readAll()
		time.Sleep(keepAliveInterval - time.Second)
		synctest.Wait()
		if n := len(keepAlives()); n != 0 {
			t.Fatalf("%d keep-alives before the interval", n)
		}
		time.Sleep(keepAliveInterval + 6*time.Second)
		synctest.Wait()
		got := keepAlives()
		if len(got) != 2 {
			t.Fatalf("keep-alives at %v, want 2 in %s", got, 2*keepAliveInterval+5*time.Second)
		}
		for i, d := range got {
			want := time.Duration(i+1) * keepAliveInterval
			if d < want || d > want+2*tickInterval*time.Duration(i+1) {
				t.Fatalf("keep-alive %d at %s, want just after %s", i, d, want)
			}
		}
		if c := p.closed(); c != nil {
			t.Fatalf("closed: %v", c.Err)
		}
	})
}

// A peer that sends nothing for the inactivity timeout is disconnected;
// one that sends keep-alives is not.
func TestInactivityTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const timeout = 30 * time.Second
		p := startPipePeer(t, timeout)
		_, done := p.readAll()
		// Keep-alives from the remote keep the connection.
		for range 4 {
			time.Sleep(timeout / 2)
			if _, err := p.remote.Write([]byte{0, 0, 0, 0}); err != nil {
				t.Fatal(err)
			}
		}
		synctest.Wait()
		if c := p.closed(); c != nil {
			t.Fatalf("closed while the remote sent keep-alives: %v", c.Err)
		}
		// Then silence.
		start := time.Now()
		select {
		case err := <-done:
			if !errors.Is(err, io.EOF) {
				t.Fatalf("remote read ended with %v, want EOF", err)
			}
		case <-time.After(time.Hour):
			t.Fatal("silent peer not disconnected")
		}
		if d := time.Since(start); d < timeout || d > timeout+2*tickInterval {
			t.Fatalf("disconnected after %s of silence, want %s", d, timeout)
		}
		synctest.Wait()
		c := p.closed()
		if c == nil || !errors.Is(c.Err, ErrInactive) || c.Protocol {
			t.Fatalf("PeerClosed = %+v, want ErrInactive (not a protocol error)", c)
		}
	})
}

// settingsWith is the default settings with values applied.
func settingsWith(t *testing.T, values map[string]any) *settings.Snapshot {
	t.Helper()
	s, err := settings.Default().With(values)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
