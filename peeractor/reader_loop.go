package peeractor

import (
	"errors"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// readLoop is the connection's reader goroutine: it decodes messages and
// hands them to the actor, in batches of what is buffered
// (inbound_batch.go), within the inbound window (inbound_window.go). A
// piece block takes write credit before it is handed on: with no credit,
// the socket is not read, which is how the disk slows a fast peer down.
type readLoop struct {
	a        *Actor
	r        *wire.Reader
	self     *actor.PID
	root     *actor.RootContext
	counters *stats.Counters
	inject   bool // the fault plan acts on each message read
	batch    inboundBatch
}

func (l *readLoop) run() {
	a := l.a
	defer close(a.readerDone)
	defer supervisor.Recover(l.root, l.self, supervisor.SiteReader)
	for {
		m, err := l.r.ReadMessage()
		if l.inject && err == nil {
			a.cfg.Supervision.Inject(supervisor.KindPeer, supervisor.SiteReader, wireName(m))
		}
		if err != nil {
			if !l.handOn() {
				return
			}
			// An oversized or mis-sized message is the peer breaking the
			// protocol, not a network failure: report it as such.
			bad := errors.Is(err, wire.ErrMessageTooLong) || errors.Is(err, wire.ErrBadLength)
			l.root.Send(l.self, &ioFailed{err: err, protocol: bad})
			return
		}
		countIncoming(l.counters, &m)
		size := 4
		if !m.KeepAlive {
			size += 1 + len(m.Block) + len(m.Bitfield) + len(m.Payload)
		}
		if m.ID == wire.Piece && !m.KeepAlive {
			if !l.handPiece(m, size) {
				return
			}
			continue
		}
		l.batch.add(m, size)
		if (l.batch.full() || !l.r.Ready()) && !l.handOn() {
			return
		}
	}
}

// handPiece hands on a block alone, after what came before it: taking its
// credit may wait for the disk, which must not wait for messages held
// here. False: the actor is closing.
func (l *readLoop) handPiece(m wire.Message, size int) bool {
	a := l.a
	if !l.handOn() {
		bufpool.Put(m.Block)
		return false
	}
	n := int64(len(m.Block))
	a.bw.waiting.Add(1)
	err := a.cfg.Credit.Acquire(a.readerCtx, n)
	a.bw.waiting.Add(-1)
	if err != nil {
		bufpool.Put(m.Block)
		return false
	}
	a.heldCredit.Add(n)
	l.root.Send(l.self, &inbound{msg: m, size: size})
	return a.inWin.handedOn(a.readerCtx, 1)
}

// handOn sends the batch (one message as itself) and waits while the
// window is full. False: the actor is closing.
func (l *readLoop) handOn() bool {
	b := &l.batch
	switch len(b.msgs) {
	case 0:
		return true
	case 1:
		// As itself, and the batch's slice kept for the next.
		l.root.Send(l.self, &inbound{msg: b.msgs[0].msg, size: b.msgs[0].size})
		b.msgs[0] = inbound{}
		b.msgs, b.bytes = b.msgs[:0], 0
		return l.a.inWin.handedOn(l.a.readerCtx, 1)
	}
	k := len(b.msgs)
	l.root.Send(l.self, &inboundBatch{msgs: b.msgs, bytes: b.bytes})
	*b = inboundBatch{}
	return l.a.inWin.handedOn(l.a.readerCtx, k)
}
