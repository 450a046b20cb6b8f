package torrentactor

import (
	"errors"
	"time"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Connections that do nothing useful must not keep real peers out. Tried
// as a new user would: 2000 connections that complete a handshake and
// idle fill every slot of connections_limit, and libtorrent 2.0.8 then
// turns a real downloader away for as long as they stay. Here, an
// incoming connection that finds the session at its limit displaces one
// of the torrent's connections that moved no payload for
// inactivity_timeout (taking one of connections_slack slots beyond the
// limit until that one has closed); and, as libtorrent does, a
// connection whose two sides want nothing of each other for
// inactivity_timeout is closed.

var (
	// ErrDisplaced closes a connection that moved no payload for
	// inactivity_timeout when a new one needed its slot.
	ErrDisplaced = errors.New("torrentactor: displaced by a new connection at connections_limit")
	// ErrUninteresting closes a connection mutually uninterested for
	// inactivity_timeout (libtorrent's uninteresting peers).
	ErrUninteresting = errors.New("torrentactor: mutually uninterested for inactivity_timeout")
)

// displacing holds the methods of that rule.
type displacing struct{ *Actor }

// idleCandidate is what the choice of a connection to displace reads.
type idleCandidate struct {
	since time.Time // connected, or last moved payload
	ok    bool      // open, connected, not leaving
}

// pickIdle returns the index of the candidate idle longest, at least for
// idle; -1 when none is.
func pickIdle(cs []idleCandidate, now time.Time, idle time.Duration) int {
	best := -1
	for i, c := range cs {
		if !c.ok || now.Sub(c.since) < idle {
			continue
		}
		if best < 0 || c.since.Before(cs[best].since) {
			best = i
		}
	}
	return best
}

func (a displacing) idle() time.Duration {
	return max(a.set.Seconds(settings.InactivityTimeout), time.Second)
}

// displaceFor makes room for an incoming connection at the torrent's or
// the session's limit: it closes the torrent's connection idle longest,
// if one has been idle for inactivity_timeout, and reports whether it
// took a session slot for the newcomer (spawnPeerTaken then uses it): a
// free one, else one of connections_slack beyond the limit.
func (a displacing) displaceFor(ctx actor.Context, factor int) bool {
	var ps []*peerInfo
	var cs []idleCandidate
	for p := range a.peers.open() {
		ps = append(ps, p)
		cs = append(cs, idleCandidate{since: p.since, ok: p.connected && !p.leaving})
	}
	i := pickIdle(cs, time.Now(), a.idle())
	if i < 0 {
		return false
	}
	if !a.cfg.Connections.TakeScaled(factor) && !a.cfg.Connections.TakeSlack(factor, a.set.Int(settings.ConnectionsSlack)) {
		return false
	}
	ps[i].leaving = true
	ctx.Send(ps[i].pid, &messages.Disconnect{Err: ErrDisplaced})
	return true
}

// dropUninteresting closes connections mutually uninterested for
// inactivity_timeout (on the torrent's tick).
func (a displacing) dropUninteresting(ctx actor.Context, now time.Time) {
	idle := a.idle()
	for p := range a.peers.open() {
		if p.connected && !p.leaving && !p.wants && !p.interested && now.Sub(p.since) >= idle {
			p.leaving = true
			ctx.Send(p.pid, &messages.Disconnect{Err: ErrUninteresting})
		}
	}
}
