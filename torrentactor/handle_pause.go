package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// A torrent runs only while neither it (its own flag: the user's pause or
// the auto-manage queue's) nor the session is paused (lifecycle.go).
// Stopping closes its connections, tells its trackers, releases its files
// and posts torrent_paused; a graceful pause first lets the blocks already
// requested arrive (no new requests go out) and closes each connection
// once it has nothing outstanding, within request_timeout.

// finishPause closes every connection and the files, and says so.
func (a *Actor) finishPause(ctx actor.Context) {
	a.disconnectAll(ctx, nil)
	a.plist.SetBoost(a.set.Int(settings.TorrentConnectBoost)) // a boost again when resumed, as libtorrent's do_pause
	// A paused torrent holds no open files (libtorrent's stop_torrent);
	// one still fetching its metadata, or whose check was put off, has
	// none registered.
	if a.registered {
		ctx.Request(a.cfg.Disk, &messages.DiskReleaseFiles{InfoHash: a.ih})
	}
	a.post(ctx, &messages.TorrentPausedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
}

// closeIdlePeers, during a graceful pause, closes the connections with no
// block outstanding, and finishes the pause when none is left or
// request_timeout has passed.
func (a *Actor) closeIdlePeers(ctx actor.Context) {
	if !a.life.pausing() {
		return
	}
	if time.Since(a.life.gracefulSince) >= a.set.Seconds(settings.RequestTimeout) {
		a.change(ctx, event{kind: evPauseDone})
		return
	}
	open := 0
	for p := range a.peers.all() {
		if p.closed || p.leaving {
			continue
		}
		if a.picker.NumOutstanding(piecepicker.PeerKey(p.key)) == 0 {
			p.leaving = true
			ctx.Send(p.pid, &messages.Disconnect{})
			continue
		}
		open++
	}
	if open == 0 {
		a.change(ctx, event{kind: evPauseDone})
	}
}
