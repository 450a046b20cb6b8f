package sessionactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/turnover"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Peer turnover (internal/turnover): every peer_turnover_interval (the
// first round 90 s after the start, as libtorrent's tick counter), a
// session at peer_turnover_cutoff percent of connections_limit has its
// torrent with the most peers drop peer_turnover percent of them, the
// worst; otherwise every torrent at the cutoff of its own limit does.

// firstTurnover is libtorrent's initial m_disconnect_time_scaler.
const firstTurnover = 90 * time.Second

// turnoverWake is the round's timer firing.
type turnoverWake struct{}

// turningOver holds the methods of the rounds; the timer is Actor.turn.
type turningOver struct{ *Actor }

// arm sets the timer for the next round, after d.
func (a turningOver) arm(ctx actor.Context, d time.Duration) {
	root, self := ctx.ActorSystem().Root, ctx.Self()
	a.turn = time.AfterFunc(d, func() { root.Send(self, &turnoverWake{}) })
}

func (a turningOver) stop() {
	if a.turn != nil {
		a.turn.Stop()
		a.turn = nil
	}
}

// round runs one round and arms the next (the interval read now: a
// change applies from the next round on).
func (a turningOver) round(ctx actor.Context) {
	a.arm(ctx, max(a.set.Seconds(settings.PeerTurnoverInterval), time.Second))
	var peers []int
	var pids []*actor.PID
	for _, ih := range a.order {
		if e := a.torrents[ih]; e != nil && e.last != nil && e.last.NumPeers > 0 {
			peers = append(peers, e.last.NumPeers)
			pids = append(pids, e.pid)
		}
	}
	r := turnover.Plan(a.conns.Used(), a.set.Int(settings.ConnectionsLimit), a.set.Int(settings.PeerTurnoverCutoff), peers)
	switch {
	case r.Busiest >= 0:
		ctx.Send(pids[r.Busiest], &messages.TurnOverPeers{})
	case r.OwnLimit:
		for _, pid := range pids {
			ctx.Send(pid, &messages.TurnOverPeers{OwnLimit: true})
		}
	}
}
