package torrentactor

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/peeractor"
	"github.com/asynkron/protoactor-go/actor"
)

// utpDialLog stands in for peer actors whose uTP connect fails: it
// records each dial's configuration, reports the uTP failure and closes.
type utpDialLog struct {
	mu   sync.Mutex
	cfgs []peeractor.Config
}

func (l *utpDialLog) props(pc any) *actor.Props {
	c := pc.(peeractor.Config)
	return actor.PropsFromFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); !ok {
			return
		}
		l.mu.Lock()
		l.cfgs = append(l.cfgs, c)
		l.mu.Unlock()
		if !c.NoUTP {
			ctx.Send(ctx.Parent(), &messages.PeerUTPFailed{Key: c.Key})
		}
		ctx.Send(ctx.Parent(), &messages.PeerClosed{Key: c.Key, Addr: c.Addr, Err: errors.New("connection refused")})
		ctx.Stop(ctx.Self())
	})
}

func (l *utpDialLog) dials() []peeractor.Config {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]peeractor.Config(nil), l.cfgs...)
}

func noUTPDial(context.Context, netip.AddrPort) (net.Conn, error) { return nil, errors.New("unused") }

// A peer whose uTP connect failed is dialled next time with NoUTP (over
// TCP at once), and every dial carries the session's uTP dial function.
// With enable_outgoing_tcp off the torrent still dials (over uTP); with
// no uTP either, it does not.
func TestPeerLackingUTPIsDialledOverTCP(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t)
		src := t.TempDir()
		log := &utpDialLog{}
		pid := r.torrentWith(Config{Meta: makeMeta(t, src, "a.bin", 100<<10, 16<<10), SavePath: src,
			Flags: messages.FlagSeedMode, PeerProps: log.props, DialUTP: noUTPDial,
			Settings: withSettings(map[string]any{"min_reconnect_time": 1, "enable_outgoing_tcp": false,
				"seeding_outgoing_connections": true})}, 1)
		r.waitStatus(pid, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
		r.sys.Root.Send(pid, trackerPeers("10.0.0.1:1"))
		advance(2 * time.Second)
		advance(5 * time.Second) // the retry after min_reconnect_time × fail count
		d := log.dials()
		if len(d) < 2 {
			t.Fatalf("%d dials, want the first and a retry", len(d))
		}
		if d[0].NoUTP || !d[1].NoUTP || d[0].DialUTP == nil {
			t.Fatalf("first dial NoUTP %v (uTP dial set: %v), retry NoUTP %v", d[0].NoUTP, d[0].DialUTP != nil, d[1].NoUTP)
		}

		none := &utpDialLog{}
		pid2 := r.torrentWith(Config{Meta: makeMeta(t, src, "b.bin", 100<<10, 16<<10), SavePath: src,
			Flags: messages.FlagSeedMode, PeerProps: none.props,
			Settings: withSettings(map[string]any{"enable_outgoing_tcp": false, "seeding_outgoing_connections": true})}, 2)
		r.waitStatus(pid2, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
		r.sys.Root.Send(pid2, trackerPeers("10.0.0.2:1"))
		advance(2 * time.Second)
		if n := len(none.dials()); n != 0 {
			t.Fatalf("no TCP and no uTP socket: %d dials", n)
		}
	})
}
