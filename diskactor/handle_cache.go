package diskactor

import (
	"bytes"
	"sort"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleCacheInfo answers get_cache_info: the event counters as they
// stand, the gauges read off the queue, fences and caches now, and the
// cached pieces (of one torrent or all) unless NoPieces.
func (a *Actor) handleCacheInfo(ctx actor.Context, m *messages.DiskCacheInfo) {
	s := &a.stats
	r := &messages.CacheStatus{
		WriteCacheSize:   s.writeBlocks,
		ReadCacheSize:    a.rc.blocks,
		PinnedBlocks:     s.pinned,
		TotalUsedBuffers: int(bufpool.InUse()),

		AverageReadTime:     s.read.mean(),
		AverageWriteTime:    s.write.mean(),
		AverageHashTime:     s.hash.mean(),
		AverageJobTime:      s.job.mean(),
		CumulativeJobTime:   s.cumJob,
		CumulativeReadTime:  s.cumRead,
		CumulativeWriteTime: s.cumWrite,
		CumulativeHashTime:  s.cumHash,

		TotalReadBack: a.counters.ReadBack,
		QueuedJobs:    len(a.queue),
		PeakQueued:    s.peakQueued,
		PendingJobs:   len(a.running),

		ArcMRUSize:      a.rc.size(arcMRU),
		ArcMRUGhostSize: a.rc.size(arcMRUGhost),
		ArcMFUSize:      a.rc.size(arcMFU),
		ArcMFUGhostSize: a.rc.size(arcMFUGhost),
		// libtorrent's volatile list holds pieces read under a
		// "volatile" hint; nothing here reads that way, so it is empty.
		ArcVolatileSize:   0,
		NumWritingThreads: int(a.writing.Load()),

		BlocksWritten: a.counters.BlocksWritten,
		Writes:        s.writes,
		BlocksRead:    s.blocksRead,
		BlocksReadHit: s.blocksReadHit,
		Reads:         s.reads,
	}
	count := func(j job, queued bool) {
		r.NumJobs++
		switch j.(type) {
		case *readJob:
			r.NumReadJobs++
			if queued {
				r.ReadQueueSize++
			}
		case *flushJob, *hashWriteJob:
			r.NumWriteJobs++
		}
	}
	for _, j := range a.queue {
		count(j, true)
	}
	for _, j := range a.running {
		count(j, false)
	}
	for _, t := range a.torrents {
		r.ArcWriteSize += len(t.partial)
		r.BlockedJobs += len(t.fence.held)
		for _, j := range t.fence.held {
			count(j, false)
		}
		if f := t.fence.job; f != nil {
			if !t.fence.started {
				count(f, false) // waiting for the torrent's jobs to drain
			}
			r.NumFenceJobs[fenceAction(f)]++
		}
	}
	if !m.NoPieces {
		r.Pieces = a.cachedPieces(m)
	}
	ctx.Respond(r)
}

// fenceAction is the libtorrent job kind of a fence job.
func fenceAction(f fenceJob) messages.DiskJobAction {
	switch f.(type) {
	case *moveJob:
		return messages.DiskJobMoveStorage
	case *renameJob:
		return messages.DiskJobRenameFile
	case *priorityJob:
		return messages.DiskJobFilePriority
	case *syncJob:
		return messages.DiskJobFlushStorage
	default:
		return messages.DiskJobReleaseFiles
	}
}

// cachedPieces lists the write-cache pieces, then the read-cache ones, of
// m's torrent or of all, each sorted by torrent and piece.
func (a *Actor) cachedPieces(m *messages.DiskCacheInfo) []messages.CachedPieceInfo {
	var out []messages.CachedPieceInfo
	for ih, t := range a.torrents {
		if m.Torrent && ih != m.InfoHash {
			continue
		}
		for piece, cp := range t.partial {
			blocks := make([]bool, len(cp.blocks))
			for i, b := range cp.blocks {
				blocks[i] = b != nil
			}
			out = append(out, messages.CachedPieceInfo{InfoHash: ih, Piece: piece, Blocks: blocks,
				LastUse: cp.lastUse, NextToHash: cp.hashed, Kind: messages.WriteCache})
		}
	}
	nw := len(out)
	for k, e := range a.rc.entries {
		if e.list.ghost() || (m.Torrent && k.ih != m.InfoHash) {
			continue
		}
		blocks := make([]bool, len(e.blocks))
		for i, b := range e.blocks {
			blocks[i] = b != nil
		}
		out = append(out, messages.CachedPieceInfo{InfoHash: k.ih, Piece: k.piece, Blocks: blocks,
			LastUse: e.lastUse, NextToHash: -1})
	}
	byKey := func(s []messages.CachedPieceInfo) func(i, j int) bool {
		return func(i, j int) bool {
			if c := bytes.Compare(s[i].InfoHash[:], s[j].InfoHash[:]); c != 0 {
				return c < 0
			}
			return s[i].Piece < s[j].Piece
		}
	}
	sort.Slice(out[:nw], byKey(out[:nw]))
	sort.Slice(out[nw:], byKey(out[nw:]))
	return out
}
