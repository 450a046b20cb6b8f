package dhtactor

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/dhtstate"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// sink is an actor that only records what it is sent (a torrent, the
// alert actor).
type sink struct{}

func (sink) Receive(actor.Context) {}

func spawnSink(t *testing.T, sys *actor.ActorSystem) (*actor.PID, *actors.Probe) {
	p := &actors.Probe{}
	pid := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return sink{} },
		actor.WithReceiverMiddleware(p.Middleware())))
	t.Cleanup(func() { sys.Root.Stop(pid) })
	return pid, p
}

// node is one DHT node of a test, on its own loopback socket.
type node struct {
	pid   *actor.PID
	addr  string
	probe *Probe
}

// testParams: no send limit, the first lookups at once.
func testParams(routers ...string) dhtstate.Params {
	return dhtstate.Params{AnnounceInterval: time.Minute, ActiveLimit: -1, Routers: routers}
}

// startNode starts a node bound to ip (port 0) and returns it once its
// socket is open.
func startNode(t *testing.T, sys *actor.ActorSystem, ip string, alerts *actor.PID, sup *supervisor.Supervision, routers ...string) *node {
	t.Helper()
	bound := make(chan string, 8)
	n := &node{probe: NewProbe()}
	cfg := Config{
		Socket: func() (net.PacketConn, error) {
			pc, err := net.ListenPacket("udp4", net.JoinHostPort(ip, "0"))
			if err == nil {
				bound <- pc.LocalAddr().String()
			}
			return pc, err
		},
		Alerts: alerts, Supervision: sup, Params: testParams(routers...),
		Settings: dhtstate.DefaultSettings(), Probe: n.probe, QueryResendDelay: 300 * time.Millisecond,
	}
	n.pid = sys.Root.Spawn(New(cfg))
	t.Cleanup(func() { sys.Root.StopFuture(n.pid).Wait() })
	select {
	case n.addr = <-bound:
	case <-time.After(10 * time.Second):
		t.Fatal("the node did not open its socket")
	}
	return n
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func isPeersOf(ih messages.InfoHash) func(any) bool {
	return func(m any) bool {
		p, ok := m.(*messages.DHTPeers)
		return ok && p.InfoHash == ih
	}
}
