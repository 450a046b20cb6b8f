package portmapactor

import (
	"context"
	"net/netip"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/portmapactor/fakegw"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// alertLog collects the alerts the mapper posts.
type alertLog struct {
	mu     sync.Mutex
	alerts []messages.Alert
	more   chan struct{}
}

func (l *alertLog) Receive(ctx actor.Context) {
	if m, ok := ctx.Message().(*messages.PostAlert); ok {
		l.mu.Lock()
		l.alerts = append(l.alerts, m.Alert)
		l.mu.Unlock()
		select {
		case l.more <- struct{}{}:
		default:
		}
	}
}

func (l *alertLog) all() []messages.Alert {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]messages.Alert(nil), l.alerts...)
}

// mapper is a port mapper under test with its alerts.
type mapper struct {
	t   *testing.T
	sys *actor.ActorSystem
	pid *actor.PID
	log *alertLog
}

func startMapper(t *testing.T, cfg Config) *mapper {
	t.Helper()
	sys := actors.NewSystem(zap.NewNop())
	m := &mapper{t: t, sys: sys, log: &alertLog{more: make(chan struct{}, 1)}}
	cfg.Alerts = sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return m.log }))
	m.pid = sys.Root.Spawn(New(cfg))
	t.Cleanup(func() {
		_ = sys.Root.StopFuture(m.pid).Wait()
		sys.Shutdown()
	})
	return m
}

func (m *mapper) request(msg any) any {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := actors.Request(ctx, m.sys.Root, m.pid, msg)
	if err != nil {
		m.t.Fatal(err)
	}
	return r
}

// waitFor waits (20 s at most) until cond holds, looking again whenever
// one of wake is signalled (a gateway answered, an alert came).
func waitFor(t *testing.T, what string, cond func() bool, wake ...<-chan struct{}) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	cases := []reflect.SelectCase{{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(deadline)}}
	for _, w := range wake {
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(w)})
	}
	for !cond() {
		if i, _, _ := reflect.Select(cases); i == 0 {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func countAlerts[T messages.Alert](log *alertLog) int {
	n := 0
	for _, al := range log.all() {
		if _, ok := al.(T); ok {
			n++
		}
	}
	return n
}

// natpmpAddrs gives each NAT-PMP fake its own 127.0.x.y (the client's
// port, 5351, is fixed).
var natpmpSeq atomic.Uint32

func natpmpAddr() netip.Addr {
	n := natpmpSeq.Add(1)
	return netip.AddrFrom4([4]byte{127, 0, 153, byte(n)})
}

func newNATPMP(t *testing.T) (*fakegw.NATPMP, netip.Addr) {
	t.Helper()
	addr := natpmpAddr()
	g, err := fakegw.NewNATPMP(addr, netip.MustParseAddr("5.6.7.8"))
	if err != nil {
		t.Skipf("no fake NAT-PMP gateway at %s:5351 (another process has the port?): %v", addr, err)
	}
	t.Cleanup(g.Close)
	return g, addr
}

func newIGD(t *testing.T, service string) *fakegw.IGD {
	t.Helper()
	g := fakegw.NewIGD(service, "5.6.7.9")
	t.Cleanup(g.Close)
	return g
}

const (
	wanIP2 = "urn:schemas-upnp-org:service:WANIPConnection:2"
	wanIP1 = "urn:schemas-upnp-org:service:WANIPConnection:1"
)

// a listen address a gateway could forward to (never dialled: the
// gateways are fakes).
var lanListen = []netip.AddrPort{netip.MustParseAddrPort("10.1.2.3:6881")}

var (
	tcp6881 = fakegw.Key{Protocol: "TCP", External: 6881}
	udp6881 = fakegw.Key{Protocol: "UDP", External: 6881}
)
