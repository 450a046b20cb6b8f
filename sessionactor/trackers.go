package sessionactor

import (
	"math/rand/v2"
	"net"
	"net/netip"
	"strconv"

	"github.com/actorrent/actorrent/internal/tracker/httptracker"
	"github.com/actorrent/actorrent/internal/tracker/udptracker"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/torrentactor"
	"github.com/asynkron/protoactor-go/actor"
)

// TrackerConfig sets up the session's tracker clients. The session owns
// one HTTP client and one UDP socket for all its torrents: a socket per
// torrent would cost a file descriptor and a reader goroutine per idle
// torrent, and one client shares UDP connection ids across torrents.
type TrackerConfig struct {
	// Torrent is the template of every torrent's tracker settings; its
	// Client, if set, is used instead of the session's own (tests).
	Torrent torrentactor.TrackerConfig
	HTTP    httptracker.Options
	UDP     udptracker.Config
}

// startTrackers makes the clients (after listen: announces carry our port).
func (a *Actor) startTrackers(ctx actor.Context) {
	tc := &a.cfg.Trackers.Torrent
	if len(a.addrs) > 0 {
		if _, p, err := net.SplitHostPort(a.addrs[0]); err == nil {
			tc.Port, _ = strconv.Atoi(p)
		}
	}
	if ifs, err := net.InterfaceAddrs(); err == nil {
		for _, ia := range ifs {
			if pfx, err := netip.ParsePrefix(ia.String()); err == nil {
				tc.LocalAddrs = append(tc.LocalAddrs, pfx.Addr())
			}
		}
	}
	if tc.Key == 0 {
		tc.Key = rand.Uint32() // &key=: who we are across address changes
	}
	if tc.Client != nil {
		return
	}
	cl := torrentactor.Clients{HTTP: httptracker.New(a.cfg.Trackers.HTTP)}
	udp, err := udptracker.Listen("udp", ":0", a.cfg.Trackers.UDP)
	if err != nil {
		// HTTP trackers still work; UDP announces fail with
		// ErrUnsupportedTracker and say so in tracker_error alerts.
		a.log.Warn("udp tracker socket")
	} else {
		cl.UDP = udp
	}
	a.trackerClients = &cl
	tc.Client = cl
}

// stopTrackers closes the clients once every torrent has stopped (their
// stopped announces are done or timed out by then).
func (a *Actor) stopTrackers() {
	if a.trackerClients == nil {
		return
	}
	if a.trackerClients.UDP != nil {
		_ = a.trackerClients.UDP.Close()
	}
	a.trackerClients.HTTP.CloseIdleConnections()
	a.trackerClients = nil
}

// trackerConfig is one torrent's tracker settings.
func (a *Actor) trackerConfig(m *messages.AddTorrent) torrentactor.TrackerConfig {
	tc := a.cfg.Trackers.Torrent
	tc.Tiers = m.Trackers
	tc.TrackerID = m.TrackerID
	return tc
}
