package torrentactor

import (
	"context"
	"errors"
	"math/rand"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/diskactor"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// sink is an actor standing in for the session and the alert actor: it
// keeps the alerts posted to it and ignores the rest.
type sink struct {
	mu     sync.Mutex
	alerts []messages.Alert
}

func (s *sink) Receive(c actor.Context) {
	if m, ok := c.Message().(*messages.PostAlert); ok {
		s.mu.Lock()
		s.alerts = append(s.alerts, m.Alert)
		s.mu.Unlock()
	}
}

// waitAlert polls for an alert satisfying ok.
func (s *sink) waitAlert(t *testing.T, what string, ok func(messages.Alert) bool) messages.Alert {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s.mu.Lock()
		for _, a := range s.alerts {
			if ok(a) {
				s.mu.Unlock()
				return a
			}
		}
		s.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// rig is an actor system with torrents, each with its own disk actor (a
// session has one disk; two sessions seeding each other have two).
type rig struct {
	t      *testing.T
	sys    *actor.ActorSystem
	alerts *actor.PID
	sink   *sink
	stop   []*actor.PID
	lns    []net.Listener
	wg     sync.WaitGroup
}

func newRig(t *testing.T) *rig {
	sys := actors.NewSystem(nil)
	r := &rig{t: t, sys: sys, sink: &sink{}}
	r.alerts = sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return r.sink }))
	t.Cleanup(func() {
		for _, l := range r.lns {
			l.Close()
		}
		r.wg.Wait()
		for i := len(r.stop) - 1; i >= 0; i-- {
			_ = sys.Root.StopFuture(r.stop[i]).Wait()
		}
		_ = sys.Root.StopFuture(r.alerts).Wait()
		sys.Shutdown()
		// Stopping may leave a dead letter (a timer's message to a stopped
		// actor); protoactor's throttle then keeps a goroutine on a ticker
		// for the throttle interval. Inside a synctest bubble (cleanups run
		// in it) the bubble must not end before it does: wait it out.
		time.Sleep(sys.Config.DeadLetterThrottleInterval + time.Millisecond)
	})
	return r
}

// torrent spawns a torrent actor (and its disk actor) for meta.
func (r *rig) torrent(meta *metainfo.MetaInfo, save string, flags messages.AddTorrentFlags, id byte,
	peerProps func(any) *actor.Props) *actor.PID {
	return r.torrentWith(Config{Meta: meta, SavePath: save, Flags: flags, PeerProps: peerProps}, id)
}

// torrentWith spawns a torrent actor from cfg, with its own disk actor,
// the rig's alerts, and a peer id ending in id.
func (r *rig) torrentWith(cfg Config, id byte) *actor.PID {
	disk := r.sys.Root.Spawn(diskactor.New(diskactor.Config{Settings: withSettings(map[string]any{"hashing_threads": 2})}))
	copy(cfg.PeerID[:], "-TT0000-test-peer-00")
	cfg.PeerID[19] = id
	cfg.Session, cfg.Disk, cfg.Alerts = r.alerts, disk, r.alerts
	tp := r.sys.Root.Spawn(New(cfg))
	r.stop = append(r.stop, disk, tp)
	return tp
}

// listen accepts connections on a loopback port and attaches them to the
// torrent, the way the session's accept loop does.
func (r *rig) listen(torrent *actor.PID) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		r.t.Fatal(err)
	}
	r.lns = append(r.lns, l)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_ = c.SetDeadline(time.Now().Add(10 * time.Second))
			hs, err := wire.ReadHandshake(c)
			if err != nil {
				c.Close()
				continue
			}
			_ = c.SetDeadline(time.Time{})
			r.sys.Root.Send(torrent, &messages.AttachPeer{Conn: c, Handshake: hs})
		}
	}()
	return l.Addr().String()
}

func (r *rig) status(pid *actor.PID) *messages.TorrentStatus {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := actors.Request(ctx, r.sys.Root, pid, &messages.GetTorrentStatus{Flags: messages.QueryAll})
	if err != nil {
		r.t.Fatalf("status: %v", err)
	}
	return v.(*messages.TorrentStatus)
}

// waitStatus polls a torrent's status until ok holds.
func (r *rig) waitStatus(pid *actor.PID, what string, ok func(*messages.TorrentStatus) bool) *messages.TorrentStatus {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := r.status(pid)
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out waiting for %s: state %d pieces %d peers %d error %q", what, st.State, st.NumPieces, st.NumPeers, st.Error)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// makeMeta writes size random bytes to dir/name and makes its torrent.
func makeMeta(t *testing.T, dir, name string, size, pieceLen int64) *metainfo.MetaInfo {
	t.Helper()
	b := make([]byte, size)
	rand.New(rand.NewSource(size)).Read(b)
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Create(filepath.Join(dir, name), metainfo.CreateOptions{PieceLength: pieceLen})
	if err != nil {
		t.Fatal(err)
	}
	return mi
}

// sameFile compares two files byte for byte.
func sameFile(a, b string) error {
	x, err := os.ReadFile(a)
	if err != nil {
		return err
	}
	y, err := os.ReadFile(b)
	if err != nil {
		return err
	}
	if string(x) != string(y) {
		return errors.New("files differ")
	}
	return nil
}

// panicOn is receiver middleware that panics when match(msg) first holds.
func panicOn(match func(any) bool) actor.ReceiverMiddleware {
	var once sync.Once
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			if match(env.Message) {
				fire := false
				once.Do(func() { fire = true })
				if fire {
					panic("injected peer fault")
				}
			}
			next(c, env)
		}
	}
}

// withSettings is the default settings with values applied.
func withSettings(values map[string]any) *settings.Snapshot {
	s, err := settings.Default().With(values)
	if err != nil {
		panic(err)
	}
	return s
}

// advance lets virtual time run for d and everything settle.
func advance(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}
