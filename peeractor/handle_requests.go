package peeractor

import (
	"cmp"
	"time"

	"github.com/actorrent/actorrent/internal/requestq"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// The pacing of our requests to the peer (internal/requestq decides, as
// libtorrent's peer_connection): the pipeline depth, snubbing and request
// timeouts. A snubbed peer gets one request at a time and, every second
// it stays late, its last request goes back to the torrent (block_timeout)
// for other peers; with every wanted block requested, the picker's end
// game asks other peers for the blocks it still holds. A timed-out block
// that arrives after all is counted redundant (the picker may have given
// it to another peer).

// requestLimits are the settings that pace requests.
func (a *Actor) requestLimits() requestq.Limits { return requestLimits(a.set) }

func requestLimits(set *settings.Snapshot) requestq.Limits {
	return requestq.Limits{
		QueueTime:      set.Seconds(settings.RequestQueueTime),
		MaxOut:         set.Int(settings.MaxOutRequestQueue),
		RequestTimeout: set.Seconds(settings.RequestTimeout),
		PieceTimeout:   set.Seconds(settings.PieceTimeout),
		BlockSize:      wire.BlockSize,
	}
}

// tickRequests runs the pacing's second: payload is what the peer sent in
// it. It may snub the peer and time out one request.
func (a *Actor) tickRequests(ctx actor.Context, now time.Time, payload int64) {
	d := a.rq.Second(now, a.requestLimits(), requestq.Tick{
		Outstanding: len(a.outstanding), Choked: a.peerChoking, Payload: payload,
		Rate: a.stats.payloadDownloadRate, Stalled: a.bw.waiting.Load() > 0,
	})
	a.pipeline = a.rq.Depth()
	if d.Snubbed && (alerting{a}).wants(messages.CategoryPeer) {
		(alerting{a}).postAlert(ctx, &messages.PeerSnubbedAlert{PeerAlertHeader: (alerting{a}).peerHeader()})
	}
	if d.TimeOut {
		a.timeOutLastRequest(ctx)
	}
}

// timeOutLastRequest hands the request sent last back to the torrent: the
// peer would serve it last, so another peer can have it soonest (the first
// ones may still come). No CANCEL goes out, as in libtorrent: the peer
// may be serving it already; if it comes, it counts as redundant (the
// picker may have given it to another peer by then).
func (a *Actor) timeOutLastRequest(ctx actor.Context) {
	var last messages.Block
	var lastAt time.Time
	found := false
	for b, at := range a.outstanding {
		if !found || at.After(lastAt) || at.Equal(lastAt) && blockAfter(b, last) {
			last, lastAt, found = b, at, true
		}
	}
	if !found {
		return
	}
	delete(a.outstanding, last)
	a.timedOut[last] = struct{}{}
	(alerting{a}).postBlockTimeout(ctx, last)
	ctx.Send(ctx.Parent(), &messages.BlocksCancelled{Key: a.cfg.Key, Blocks: []messages.Block{last}})
}

// blockAfter orders blocks of a batch (sent at the same instant) as the
// torrent picked them: by piece, then offset.
func blockAfter(x, y messages.Block) bool {
	return cmp.Or(cmp.Compare(x.Piece, y.Piece), cmp.Compare(x.Begin, y.Begin)) > 0
}

// blockArrived updates the pacing for a requested block; a snubbed peer
// that sent it in time is unsnubbed.
func (a *Actor) blockArrived(ctx actor.Context, now time.Time) {
	a.fast.rejects = 0
	if a.rq.Received(now, a.requestLimits(), len(a.outstanding) > 0) && (alerting{a}).wants(messages.CategoryPeer) {
		(alerting{a}).postAlert(ctx, &messages.PeerUnsnubbedAlert{PeerAlertHeader: (alerting{a}).peerHeader()})
	}
	a.pipeline = a.rq.Depth()
}

// unawaited reports whether b is a block we no longer await from the peer
// (cancelled, or timed out) and forgets it: its arrival is redundant, not
// a protocol error.
func (a *Actor) unawaited(b messages.Block) bool {
	if _, ok := a.cancelled[b]; ok {
		delete(a.cancelled, b)
		return true
	}
	if _, ok := a.timedOut[b]; ok {
		delete(a.timedOut, b)
		return true
	}
	return false
}

// toRequest is the part of a batch the peer has not been asked for: a
// timed-out block the picker hands this peer again is still requested at
// the peer, and asking twice could bring it twice (the second time
// unrequested).
func (a *Actor) toRequest(blocks []messages.Block) []messages.Block {
	if len(a.timedOut) == 0 {
		return blocks
	}
	out := blocks[:0:0]
	for _, b := range blocks {
		if _, ok := a.timedOut[b]; ok {
			delete(a.timedOut, b)
			continue
		}
		out = append(out, b)
	}
	return out
}

// voidTimedOut: a choke voids the requests still at the peer; the timed
// out ones are already back with the picker, and may still arrive.
func (a *Actor) voidTimedOut() {
	for b := range a.timedOut {
		a.cancelled[b] = struct{}{}
	}
	clear(a.timedOut)
}
