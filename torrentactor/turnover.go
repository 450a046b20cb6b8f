package torrentactor

import (
	"errors"
	"time"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/turnover"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// ErrTurnedOver closes a connection dropped by a peer turnover round
// (libtorrent's optimistic_disconnect).
var ErrTurnedOver = errors.New("torrentactor: dropped by peer turnover (optimistic disconnect)")

// turnOver is the torrent's part of a peer turnover round: it drops
// peer_turnover percent of its peers (at least one, no more than the
// peers it could connect to instead), the worst first.
func (a displacing) turnOver(ctx actor.Context, m *messages.TurnOverPeers) {
	var open []*peerInfo
	for p := range a.peers.open() {
		open = append(open, p)
	}
	if m.OwnLimit && !turnover.AtOwnLimit(len(open), a.maxPeers(), a.set.Int(settings.PeerTurnoverCutoff)) {
		return
	}
	n := turnover.Count(len(open), a.set.Int(settings.PeerTurnover), a.plist.ConnectCandidates(time.Now(), a.life.finished))
	if n <= 0 {
		return
	}
	ps := make([]turnover.Peer, len(open))
	for i, p := range open {
		ps[i] = turnover.Peer{Leaving: p.leaving, Interesting: p.interested, Seed: p.stats.IsSeed, Parole: p.parole,
			DownloadRate: p.stats.PayloadDownloadRate, LastPayload: p.since}
	}
	for _, i := range turnover.Worst(ps, n) {
		if p := open[i]; !p.leaving {
			p.leaving = true
			ctx.Send(p.pid, &messages.Disconnect{Err: ErrTurnedOver})
		}
	}
}
