package sessionactor

import (
	"context"
	"github.com/actorrent/actorrent/torrentactor/announcer"
	"math/rand/v2"
	"net"
	"net/netip"
	"strconv"
	"sync"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/internal/tracker/httptracker"
	"github.com/actorrent/actorrent/internal/tracker/udptracker"
	"github.com/actorrent/actorrent/torrentactor"
	"github.com/asynkron/protoactor-go/actor"
)

// trackerClients are the session's tracker clients: one HTTP client and
// one UDP socket for all its torrents (a socket per torrent would cost a
// file descriptor and a reader goroutine per idle torrent, and one client
// shares UDP connection ids across torrents). Torrents hold this one
// value; when the tracker settings change the session swaps the clients
// inside, so every announce from then on uses the new settings.
type trackerClients struct {
	mu   sync.Mutex
	cur  announcer.Clients
	used []announcer.Clients // replaced ones, closed with the session
}

func (c *trackerClients) get() announcer.Clients {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur
}

func (c *trackerClients) Announce(ctx context.Context, u string, req tracker.AnnounceRequest) (tracker.AnnounceResponse, error) {
	return c.get().Announce(ctx, u, req)
}

func (c *trackerClients) Scrape(ctx context.Context, u string, ih [20]byte) (tracker.ScrapeResponse, error) {
	return c.get().Scrape(ctx, u, ih)
}

// httpOptions and udpConfig are the clients' settings.
func httpOptions(s *settings.Snapshot) httptracker.Options {
	return httptracker.Options{
		UserAgent:         s.Str(settings.UserAgent),
		MaxResponseSize:   int64(s.Int(settings.TrackerMaximumResponseLength)),
		ReceiveTimeout:    s.Seconds(settings.TrackerReceiveTimeout),
		CompletionTimeout: s.Seconds(settings.TrackerCompletionTimeout),
	}
}

// libtorrent does not retransmit; we retransmit after the receive timeout,
// within the completion timeout.
func udpConfig(s *settings.Snapshot) udptracker.Config {
	return udptracker.Config{RetransmitBase: s.Seconds(settings.TrackerReceiveTimeout), Resolve: announcer.FilteredResolve}
}

// startTrackers makes the clients (after listen: announces carry our port).
func (a *Actor) startTrackers(ctx actor.Context) {
	if len(a.addrs) > 0 {
		if _, p, err := net.SplitHostPort(a.addrs[0]); err == nil {
			a.trk.port, _ = strconv.Atoi(p)
		}
	}
	if ifs, err := net.InterfaceAddrs(); err == nil {
		for _, ia := range ifs {
			if pfx, err := netip.ParsePrefix(ia.String()); err == nil {
				a.trk.local = append(a.trk.local, pfx.Addr())
			}
		}
	}
	a.trk.key = rand.Uint32() // &key=: who we are across address changes
	if a.cfg.TrackerClient != nil {
		a.trk.client = a.cfg.TrackerClient
		return
	}
	a.trk.own = &trackerClients{cur: a.newTrackerClients()}
	a.trk.client = a.trk.own
}

func (a *Actor) newTrackerClients() announcer.Clients {
	cl := announcer.Clients{HTTP: httptracker.New(httpOptions(a.set)), FilteredHTTP: newFilteredHTTP(a.set)}
	udp, err := udptracker.Listen("udp", ":0", udpConfig(a.set))
	if err != nil {
		// HTTP trackers still work; UDP announces fail with
		// ErrUnsupportedTracker and say so in tracker_error alerts.
		a.log.Warn("udp tracker socket")
	} else {
		cl.UDP = udp
	}
	return cl
}

// trackerSettingsChanged swaps the session's clients for ones made with
// the new settings, when their settings changed.
func (a *Actor) trackerSettingsChanged(old *settings.Snapshot) {
	same := true
	for _, k := range []settings.IntKey{settings.TrackerMaximumResponseLength, settings.TrackerReceiveTimeout, settings.TrackerCompletionTimeout} {
		same = same && old.Int(k) == a.set.Int(k)
	}
	if a.trk.own == nil || (same && old.Str(settings.UserAgent) == a.set.Str(settings.UserAgent)) {
		return
	}
	cl := a.newTrackerClients()
	a.trk.own.mu.Lock()
	a.trk.own.used = append(a.trk.own.used, a.trk.own.cur)
	a.trk.own.cur = cl
	a.trk.own.mu.Unlock()
}

// stopTrackers closes the clients once every torrent has stopped (their
// stopped announces are done or timed out by then).
func (a *Actor) stopTrackers() {
	if a.trk.own == nil {
		return
	}
	a.trk.own.mu.Lock()
	all := append(a.trk.own.used, a.trk.own.cur)
	a.trk.own.used, a.trk.own.cur = nil, announcer.Clients{}
	a.trk.own.mu.Unlock()
	for _, cl := range all {
		if cl.UDP != nil {
			_ = cl.UDP.Close()
		}
		if cl.HTTP != nil {
			cl.HTTP.CloseIdleConnections()
		}
		if cl.FilteredHTTP != nil {
			cl.FilteredHTTP.CloseIdleConnections()
		}
	}
	a.trk.own = nil
}

// trackerConfig is the session's part of every torrent's tracker configuration
// (torrentactor.Shared.TrackerBase); the settings part comes from the
// torrent's snapshot (torrentactor).
func (a *Actor) trackerConfig() torrentactor.TrackerConfig {
	return torrentactor.TrackerConfig{
		Client:     a.trk.client,
		Port:       a.trk.port,
		LocalAddrs: a.trk.local,
		Key:        a.trk.key,
	}
}
