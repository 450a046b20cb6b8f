package torrentactor

import (
	"net"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/peeractor"
	"github.com/asynkron/protoactor-go/actor"
)

// configPeers stands in for peer actors that connect at once, keeping
// the configs the torrent spawned them with.
type configPeers struct {
	mu   sync.Mutex
	cfgs []peeractor.Config
}

func (f *configPeers) props(pc any) *actor.Props {
	c := pc.(peeractor.Config)
	f.mu.Lock()
	f.cfgs = append(f.cfgs, c)
	f.mu.Unlock()
	return actor.PropsFromFunc(func(ctx actor.Context) {
		switch ctx.Message().(type) {
		case *actor.Started:
			ctx.Send(ctx.Parent(), &messages.PeerConnected{Key: c.Key, Addr: c.Addr, Incoming: c.Conn != nil})
		case *messages.Disconnect:
			ctx.Send(ctx.Parent(), &messages.PeerClosed{Key: c.Key, Addr: c.Addr})
			ctx.Stop(ctx.Self())
		}
	})
}

func (f *configPeers) spawned() []peeractor.Config {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]peeractor.Config(nil), f.cfgs...)
}

// seedingRig runs a seeding torrent with cfg whose peers are configPeers.
func seedingRig(t *testing.T, cfg Config) (*rig, *actor.PID, *configPeers) {
	r := newRig(t)
	src := t.TempDir()
	f := &configPeers{}
	cfg.Meta = makeMeta(t, src, "a.bin", 100<<10, 16<<10)
	cfg.SavePath, cfg.Flags, cfg.PeerProps = src, messages.FlagSeedMode, f.props
	pid := r.torrentWith(cfg, 1)
	r.waitStatus(pid, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
	return r, pid, f
}

// The torrent's limits (from AddTorrentParams, then its setters) are its
// channels' limits, and its peers get those channels and the gate.
func TestTorrentRatesReachPeers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gate := actors.NewBandwidth(0)
		defer gate.Close()
		r, pid, f := seedingRig(t, Config{Bandwidth: gate, Limits: messages.TorrentLimits{UploadLimit: 100_000, DownloadLimit: 200_000}})
		r.sys.Root.Send(pid, &messages.ConnectPeer{Addr: "10.0.0.1:1"})
		advance(time.Second)
		cfgs := f.spawned()
		if len(cfgs) != 1 {
			t.Fatalf("%d peers spawned, want 1", len(cfgs))
		}
		pc := cfgs[0]
		up, down := pc.TorrentRates[ratelimit.Upload], pc.TorrentRates[ratelimit.Download]
		if pc.Bandwidth != gate || up == nil || down == nil {
			t.Fatalf("peer config: gate %p (want %p), rates %v", pc.Bandwidth, gate, pc.TorrentRates)
		}
		if up.Limit() != 100_000 || down.Limit() != 200_000 {
			t.Errorf("channel limits %d/%d, want 100000/200000", up.Limit(), down.Limit())
		}
		for _, step := range []struct {
			limit messages.TorrentLimit
			value int
			want  [2]int64
		}{
			{messages.LimitUpload, 50_000, [2]int64{50_000, 200_000}},
			{messages.LimitDownload, -1, [2]int64{50_000, 0}},
			{messages.LimitUpload, 0, [2]int64{0, 0}},
		} {
			r.sys.Root.Send(pid, &messages.SetTorrentLimit{Limit: step.limit, Value: step.value})
			advance(time.Millisecond)
			if got := [2]int64{up.Limit(), down.Limit()}; got != step.want {
				t.Errorf("after setting %v to %d: limits %v, want %v", step.limit, step.value, got, step.want)
			}
		}
	})
}

// pipeFrom is an incoming connection from ip (its other end is closed
// when the test ends).
func pipeFrom(t *testing.T, ip string) net.Conn {
	local, remote := net.Pipe()
	t.Cleanup(func() { remote.Close(); local.Close() })
	return fromAddr{local, &net.TCPAddr{IP: net.ParseIP(ip), Port: 6881}}
}

type fromAddr struct {
	net.Conn
	remote net.Addr
}

func (c fromAddr) RemoteAddr() net.Addr { return c.remote }

// connection_limit_factor: at connections_limit, an incoming connection
// from a LAN (the local class, factor 150) is still accepted, up to 1.5
// times the limit; one from the internet is not. Outgoing ones get no
// factor.
func TestIncomingConnectionLimitFactor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gate := actors.NewBandwidth(0)
		defer gate.Close()
		cfg := Config{
			Bandwidth: gate, Connections: actors.NewSlots(2),
			Settings: withSettings(map[string]any{"connections_limit": 2}),
		}
		r, pid, f := seedingRig(t, cfg)
		attach := func(ip string) {
			r.sys.Root.Send(pid, &messages.AttachPeer{Conn: pipeFrom(t, ip), Handshake: wire.Handshake{}})
			advance(time.Millisecond)
		}
		r.sys.Root.Send(pid, &messages.ConnectPeer{Addr: "10.0.0.1:1"})
		r.sys.Root.Send(pid, &messages.ConnectPeer{Addr: "10.0.0.2:1"})
		advance(time.Millisecond)
		r.sys.Root.Send(pid, &messages.ConnectPeer{Addr: "10.0.0.3:1"})
		advance(time.Millisecond)
		if n := len(f.spawned()); n != 2 {
			t.Fatalf("%d outgoing connections at connections_limit 2, want 2", n)
		}
		attach("203.0.113.1")
		if n := len(f.spawned()); n != 2 {
			t.Fatalf("an internet peer was accepted past connections_limit (%d peers)", n)
		}
		attach("192.168.1.5")
		if n := len(f.spawned()); n != 3 {
			t.Fatalf("a LAN peer was refused at connections_limit (%d peers), want it let in by the local class's factor", n)
		}
		attach("192.168.1.6")
		if n := len(f.spawned()); n != 3 {
			t.Fatalf("a LAN peer was accepted past 1.5 times connections_limit (%d peers)", n)
		}
	})
}
