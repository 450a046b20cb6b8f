package sessionactor

import (
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/lsdactor"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// lsdControl runs local service discovery (BEP 14, lsdactor) while
// enable_lsd is on and the session listens: it spawns the LSD actor,
// gives it the torrents that are not private (all of them when it is
// ready, a new one when it is added, a removed one to forget), and hands
// the peers it finds to their torrents.
type lsdControl struct{ *Actor }

// start spawns the LSD actor, when it should run and does not.
func (a lsdControl) start(ctx actor.Context) {
	if a.lsd != nil || a.closing || !a.set.Bool(settings.EnableLSD) {
		return
	}
	var listen []netip.AddrPort
	for _, s := range a.addrs {
		if ap, err := netip.ParseAddrPort(s); err == nil {
			listen = append(listen, ap)
		}
	}
	if len(listen) == 0 {
		return // nothing to announce: no port a peer could connect to
	}
	set := a.set
	props := lsdactor.New(lsdactor.Config{
		Listen:   listen,
		Interval: time.Duration(a.set.Int(settings.LocalServiceAnnounceInterval)) * time.Second,
		Group:    a.cfg.LSDGroup,
		Session:  ctx.Self(),
		Alerts:   a.alerts,
		Sup:      a.cfg.Supervision,
		AlertsOn: func(al messages.Alert) bool { return messages.Wanted(al, set.Int(settings.AlertMask)) },
	})
	a.lsd = ctx.Spawn(a.cfg.Supervision.Configure(supervisor.KindLSD, props))
}

// stop stops the LSD actor (it closes its sockets as it stops).
func (a lsdControl) stop(ctx actor.Context) {
	if a.lsd != nil {
		ctx.Stop(a.lsd)
		a.lsd = nil
	}
}

// close stops the LSD actor as the session closes: Close is answered
// once it has stopped (its socket closed, its reader gone).
func (a lsdControl) close(ctx actor.Context) {
	if a.lsd != nil {
		a.stopping[a.lsd.Id] = true
	}
	a.stop(ctx)
}

// restart gives LSD the session's new listen addresses.
func (a lsdControl) restart(ctx actor.Context) {
	a.stop(ctx)
	a.start(ctx)
}

// settingsChanged turns LSD on or off and passes its interval on.
func (a lsdControl) settingsChanged(ctx actor.Context, old *settings.Snapshot, msg *messages.SettingsChanged) {
	on := a.set.Bool(settings.EnableLSD)
	switch {
	case on && a.lsd == nil:
		a.start(ctx)
	case !on:
		a.stop(ctx)
	case old.Int(settings.LocalServiceAnnounceInterval) != a.set.Int(settings.LocalServiceAnnounceInterval):
		ctx.Send(a.lsd, msg)
	}
}

// message handles the LSD actor's messages.
func (a lsdControl) message(ctx actor.Context, m any) {
	switch m := m.(type) {
	case *messages.LSDReady:
		if a.lsd == nil || !ctx.Sender().Equal(a.lsd) {
			return // an actor stopped since
		}
		var add []messages.InfoHash
		for _, ih := range a.order {
			if _, ok := a.dht.torrents[ih]; ok && !a.torrents[ih].private {
				add = append(add, ih)
			}
		}
		ctx.Send(a.lsd, &messages.LSDTorrents{Add: add})
	case *messages.LSDPeer:
		if e := a.torrents[m.InfoHash]; e != nil && !e.private {
			ctx.Send(e.pid, m)
		}
	}
}

// wanted and removed keep the LSD actor's torrents in step with the
// torrents that want peers. A torrent announces on LSD by the rule it
// announces to trackers and the DHT by (messages.DHTTorrentWanted: it
// runs, its files are checked, it is not private), as libtorrent's
// lsd_announce skips paused torrents and private ones (a magnet found
// private once its metadata came stops here too).
func (a lsdControl) wanted(ctx actor.Context, ih messages.InfoHash, want bool) {
	switch {
	case a.lsd == nil:
	case want && !a.torrents[ih].private:
		ctx.Send(a.lsd, &messages.LSDTorrents{Add: []messages.InfoHash{ih}})
	case !want:
		ctx.Send(a.lsd, &messages.LSDTorrents{Remove: []messages.InfoHash{ih}})
	}
}

func (a lsdControl) removed(ctx actor.Context, ih messages.InfoHash) {
	if a.lsd != nil {
		ctx.Send(a.lsd, &messages.LSDTorrents{Remove: []messages.InfoHash{ih}})
	}
}
