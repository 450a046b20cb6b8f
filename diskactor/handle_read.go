package diskactor

import (
	"fmt"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleRead queues a block read for a peer. Requests for data we do not
// have on disk are answered with an error at once.
func (a *Actor) handleRead(ctx actor.Context, m *messages.DiskRead) {
	t := a.torrents[m.InfoHash]
	if t == nil || t.removing != nil || m.Piece < 0 || m.Piece >= len(t.done) ||
		m.Begin < 0 || m.Length <= 0 || int64(m.Begin)+int64(m.Length) > t.info.PieceSize(m.Piece) {
		ctx.Send(m.ReplyTo, &messages.DiskReadReply{Piece: m.Piece, Begin: m.Begin,
			Err: fmt.Errorf("diskactor: read of piece %d [%d,+%d) out of range", m.Piece, m.Begin, m.Length)})
		return
	}
	a.submit(ctx, &readJob{ih: t.ih, store: t.store, req: m, offset: t.info.PieceOffset(m.Piece) + int64(m.Begin)})
}
