package diskactor

import (
	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleMessageFailed: the disk actor failed on a message and was resumed
// (supervisor.KindDisk), its queue, fences and caches intact. The message
// never finished: a request is answered with an error, a block is given
// back (buffer and credit) and its torrent told the write failed. Three
// messages must happen for the disk not to wedge, and are done again:
// a job's result (its fence and worker), a torrent's registration, and a
// removal (its files must close); a second failure on them is final.
func (a *Actor) handleMessageFailed(ctx actor.Context, m *messages.MessageFailed) {
	err := messages.FailedReply(m.Reason).Err
	reply := func(r any) {
		if m.Sender != nil {
			ctx.Send(m.Sender, r)
		}
	}
	switch orig := m.Message.(type) {
	case *jobDone:
		a.handleJobDone(ctx, orig)
	case *messages.DiskAddTorrent:
		a.handleAddTorrent(ctx, orig)
	case *messages.DiskRemoveTorrent:
		a.handleRemoveTorrent(ctx, orig, m.Sender)
	case *messages.DiskWrite:
		a.failWrite(ctx, orig, err)
	case *messages.DiskRead:
		ctx.Send(orig.ReplyTo, &messages.DiskReadReply{Piece: orig.Piece, Begin: orig.Begin, Err: err})
	case *messages.DiskCheck:
		reply(&messages.DiskCheckReply{Gen: orig.Gen, Err: err})
	case *messages.DiskMoveStorage:
		reply(&messages.DiskMoveStorageReply{Err: err})
	case *messages.DiskRenameFile:
		reply(&messages.DiskRenameFileReply{Index: orig.Index, Name: orig.Name, Err: err})
	case *messages.DiskReleaseFiles:
		reply(&messages.DiskReleaseFilesReply{Err: err})
	case *messages.DiskSetFilePriorities:
		reply(&messages.DiskSetFilePrioritiesReply{Err: err})
	case *messages.DiskFlush:
		reply(&messages.DiskFlushReply{Err: err})
	case *messages.DiskFileStats:
		reply(&messages.DiskFileStatsReply{Err: err})
	case *messages.DiskClearCache:
		reply(&messages.DiskClearCacheReply{})
	case *messages.DiskClearPiece:
		// the cache keeps the piece; a later write or removal frees it
	default:
		reply(messages.FailedReply(m.Reason))
	}
}

// failWrite gives a block that never reached the cache back, and tells its
// torrent that the write failed (a file error: the piece goes back to its
// picker). A block the cache took before the failure stays the cache's.
func (a *Actor) failWrite(ctx actor.Context, m *messages.DiskWrite, err error) {
	t := a.torrents[m.InfoHash]
	if t != nil {
		if cp := t.partial[m.Piece]; cp != nil && len(m.Data) > 0 {
			bi := m.Begin / bufpool.BlockSize
			if bi >= 0 && bi < len(cp.blocks) && len(cp.blocks[bi]) > 0 && &cp.blocks[bi][0] == &m.Data[0] {
				return
			}
		}
	}
	a.discard(t, m.Data)
	if t != nil && t.removing == nil {
		ctx.Send(t.owner, &messages.PieceHashed{Piece: m.Piece, Err: err, Op: "write"})
	}
}
