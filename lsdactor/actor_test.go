package lsdactor

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/lsd"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// fakeNet is the sockets of one LSD actor in memory (channels block
// durably, so the actor runs in a synctest bubble): what it sends is
// recorded with the (virtual) time, what it hears is fed through in.
type fakeNet struct {
	mu    sync.Mutex
	sent  []sentPacket
	opens int
	fail  int // the first fail opens fail
	in    chan heardPacket
}

type sentPacket struct {
	at  time.Time
	ann lsd.Announce
}

type heardPacket struct {
	from netip.AddrPort
	data []byte
}

func newFakeNet() *fakeNet { return &fakeNet{in: make(chan heardPacket)} }

var loopback = iface{index: 1, addr: netip.MustParseAddr("127.0.0.1"), net: netip.MustParsePrefix("127.0.0.0/8"), port: 6881}

func (n *fakeNet) open(netip.AddrPort, []netip.AddrPort) (readConn, []sender, []iface, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.opens++
	if n.opens <= n.fail {
		return nil, nil, nil, errors.New("bind: address in use")
	}
	return &fakeRecv{n: n, closed: make(chan struct{})}, []sender{{conn: (*fakeSend)(n), port: loopback.port}}, []iface{loopback}, nil
}

func (n *fakeNet) sends() []sentPacket {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]sentPacket(nil), n.sent...)
}

type fakeRecv struct {
	n      *fakeNet
	closed chan struct{}
	once   sync.Once
}

func (r *fakeRecv) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	select {
	case p := <-r.n.in:
		return copy(b, p.data), p.from, nil
	case <-r.closed:
		return 0, netip.AddrPort{}, net.ErrClosed
	}
}

func (r *fakeRecv) Close() error { r.once.Do(func() { close(r.closed) }); return nil }

type fakeSend fakeNet

func (s *fakeSend) WriteToUDPAddrPort(b []byte, _ netip.AddrPort) (int, error) {
	ann, err := lsd.Parse(b)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.sent = append(s.sent, sentPacket{at: time.Now(), ann: ann})
	s.mu.Unlock()
	return len(b), nil
}

func (s *fakeSend) Close() error { return nil }

// rig is an LSD actor on a fakeNet with a fake session that gives it
// torrents when it is ready and records the peers and alerts it gets.
type rig struct {
	net    *fakeNet
	sys    *actor.ActorSystem
	pid    *actor.PID
	cookie uint32
	mu     sync.Mutex
	peers  []messages.LSDPeer
	alerts []messages.Alert
}

func newRig(torrents []messages.InfoHash, interval time.Duration, n *fakeNet) *rig {
	r := &rig{net: n, sys: actors.NewSystem(nil), cookie: 0xabcdef}
	session := r.sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		r.mu.Lock()
		defer r.mu.Unlock()
		switch m := c.Message().(type) {
		case *messages.LSDReady:
			c.Respond(&messages.LSDTorrents{Add: torrents})
		case *messages.LSDPeer:
			r.peers = append(r.peers, *m)
		case *messages.PostAlert:
			r.alerts = append(r.alerts, m.Alert)
		}
	}))
	sh := &shared{Config: Config{Listen: []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:6881")}, Interval: interval,
		Group: lsd.Group, Session: session, Alerts: session}, cookie: r.cookie, open: n.open}
	sup, _ := supervisor.New(nil)
	r.pid = r.sys.Root.Spawn(props(sh).Configure(actor.WithGuardian(sup.Strategy(supervisor.KindLSD))))
	return r
}

func (r *rig) stop() {
	_ = r.sys.Root.StopFuture(r.pid).Wait()
	r.sys.Shutdown()
}

// sendTimes are the times of the sends of ih since start.
func sendTimes(sent []sentPacket, ih lsd.InfoHash, start time.Time) []time.Duration {
	var out []time.Duration
	for _, p := range sent {
		for _, h := range p.ann.InfoHashes {
			if h == ih {
				out = append(out, p.at.Sub(start))
			}
		}
	}
	return out
}

var ih1 = messages.InfoHash{1}

// In virtual time: a torrent is announced when the actor gets it, again
// 2 s and 6 s later, and then every local_service_announce_interval,
// with the session's port and our cookie.
func TestAnnounceScheduleInVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		r := newRig([]messages.InfoHash{ih1}, 5*time.Minute, newFakeNet())
		time.Sleep(11 * time.Minute)
		synctest.Wait()
		sent := r.net.sends()
		r.stop()
		want := []time.Duration{0, 2 * time.Second, 6 * time.Second,
			5 * time.Minute, 5*time.Minute + 2*time.Second, 5*time.Minute + 6*time.Second,
			10 * time.Minute, 10*time.Minute + 2*time.Second, 10*time.Minute + 6*time.Second}
		got := sendTimes(sent, ih1, start)
		if len(got) != len(want) {
			t.Fatalf("sent at %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("sent at %v, want %v", got, want)
			}
		}
		for _, p := range sent {
			if p.ann.Port != 6881 || !p.ann.HasCookie || p.ann.Cookie != r.cookie {
				t.Errorf("announce %+v", p.ann)
			}
		}
	})
}

// What the actor hears: its own announce (cookie), a host outside its
// network, a torrent it does not announce and a repeat are dropped; a
// neighbour's announce of our torrent reaches the session once.
func TestHeardAnnounces(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newFakeNet()
		r := newRig([]messages.InfoHash{ih1}, 0, n)
		synctest.Wait()
		feed := func(from string, port uint16, cookie uint32, ih messages.InfoHash) {
			b, err := lsd.Build(port, cookie, ih)
			if err != nil {
				t.Fatal(err)
			}
			n.in <- heardPacket{from: netip.MustParseAddrPort(from), data: b}
			synctest.Wait()
		}
		feed("127.0.0.1:40000", 6881, r.cookie, ih1)           // ours, looped back
		feed("10.1.2.3:40000", 7000, 1, ih1)                   // not our network
		feed("127.0.0.5:40000", 7000, 1, messages.InfoHash{9}) // not our torrent
		n.in <- heardPacket{from: netip.MustParseAddrPort("127.0.0.5:40000"), data: []byte("garbage\r\n\r\n")}
		feed("127.0.0.5:40000", 7000, 1, ih1) // taken
		time.Sleep(2 * time.Second)
		feed("127.0.0.5:40000", 7000, 1, ih1) // its resend: not news
		r.stop()
		r.mu.Lock()
		defer r.mu.Unlock()
		want := messages.LSDPeer{InfoHash: ih1, Addr: netip.MustParseAddrPort("127.0.0.5:7000")}
		if len(r.peers) != 1 || r.peers[0] != want {
			t.Fatalf("the session got %+v, want %+v", r.peers, want)
		}
	})
}

// When the socket cannot be opened the actor posts lsd_error and fails;
// its supervisor restarts it after the backoff and it announces then.
func TestOpenFailureRetriesWithBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newFakeNet()
		n.fail = 2
		start := time.Now()
		r := newRig([]messages.InfoHash{ih1}, 0, n)
		time.Sleep(10 * time.Second)
		synctest.Wait()
		sent := r.net.sends()
		r.stop()
		r.mu.Lock()
		defer r.mu.Unlock()
		errs := 0
		for _, a := range r.alerts {
			if _, ok := a.(*messages.LSDErrorAlert); ok {
				errs++
			}
		}
		if errs != 2 {
			t.Errorf("%d lsd_error alerts, want 2 (alerts %v)", errs, r.alerts)
		}
		got := sendTimes(sent, ih1, start)
		// Backoff 0.5 s, then 1 s: the third incarnation opens at 1.5 s.
		if len(got) == 0 || got[0] != 1500*time.Millisecond {
			t.Fatalf("sent at %v, want the first at 1.5 s", got)
		}
	})
}

// local_service_announce_interval applied at runtime takes effect from
// the round's next announce.
func TestIntervalChangedInVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		r := newRig([]messages.InfoHash{ih1}, 5*time.Minute, newFakeNet())
		time.Sleep(time.Minute)
		set, err := settings.Default().With(map[string]any{"local_service_announce_interval": 60})
		if err != nil {
			t.Fatal(err)
		}
		r.sys.Root.Send(r.pid, &messages.SettingsChanged{Settings: set})
		time.Sleep(6*time.Minute + 10*time.Second)
		synctest.Wait()
		sent := r.net.sends()
		r.stop()
		var rounds []time.Duration
		for _, d := range sendTimes(sent, ih1, start) {
			if d%time.Minute == 0 { // first sends; resends are 2 s and 6 s after
				rounds = append(rounds, d)
			}
		}
		want := []time.Duration{0, 5 * time.Minute, 6 * time.Minute, 7 * time.Minute}
		if len(rounds) != len(want) {
			t.Fatalf("announced at %v, want %v", rounds, want)
		}
		for i := range want {
			if rounds[i] != want[i] {
				t.Fatalf("announced at %v, want %v", rounds, want)
			}
		}
	})
}
