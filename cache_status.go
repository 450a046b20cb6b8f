package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/messages"
)

// DiskCacheNoPieces is GetCacheInfo's flag to leave CacheStatus.Pieces
// empty (libtorrent's session::disk_cache_no_pieces), which makes the call
// cheaper.
const DiskCacheNoPieces = 1

// DiskJobAction is a kind of disk job, in libtorrent's job_action_t order;
// it indexes CacheStatus.NumFenceJobs.
type DiskJobAction = messages.DiskJobAction

// The disk job kinds. The engine raises fences for MoveStorage, RenameFile
// and ReleaseFiles.
const (
	DiskJobRead            = messages.DiskJobRead
	DiskJobWrite           = messages.DiskJobWrite
	DiskJobHash            = messages.DiskJobHash
	DiskJobMoveStorage     = messages.DiskJobMoveStorage
	DiskJobReleaseFiles    = messages.DiskJobReleaseFiles
	DiskJobDeleteFiles     = messages.DiskJobDeleteFiles
	DiskJobCheckFastresume = messages.DiskJobCheckFastresume
	DiskJobRenameFile      = messages.DiskJobRenameFile
	DiskJobStopTorrent     = messages.DiskJobStopTorrent
	DiskJobFlushPiece      = messages.DiskJobFlushPiece
	DiskJobFlushHashed     = messages.DiskJobFlushHashed
	DiskJobFlushStorage    = messages.DiskJobFlushStorage
	DiskJobTrimCache       = messages.DiskJobTrimCache
	DiskJobFilePriority    = messages.DiskJobFilePriority
	DiskJobClearPiece      = messages.DiskJobClearPiece
	NumDiskJobIDs          = messages.NumDiskJobActions
)

// CachedPieceKind says which cache a piece is in (libtorrent's
// cached_piece_info::kind_t).
type CachedPieceKind = messages.CachedPieceKind

// The cache kinds (see messages.CachedPieceKind).
const (
	ReadCache     = messages.ReadCache
	WriteCache    = messages.WriteCache
	VolatileCache = messages.VolatileCache
)

// CachedPieceInfo is one piece in the disk cache (libtorrent's
// cached_piece_info); its fields are declared in messages.
type CachedPieceInfo = messages.CachedPieceInfo

// CacheStatus is a snapshot of the disk cache and job queue (libtorrent's
// cache_status); its fields are declared in messages.
type CacheStatus = messages.CacheStatus

// GetCacheInfo returns the disk cache's status (libtorrent's
// get_cache_info). The counters are session-wide; Pieces lists h's
// torrent's pieces, or every torrent's when h is the zero TorrentHandle,
// and none with flags DiskCacheNoPieces. A handle of a torrent no longer
// in the session gives ErrInvalidHandle.
func (s *Session) GetCacheInfo(ctx context.Context, h TorrentHandle, flags int) (CacheStatus, error) {
	msg := &messages.DiskCacheInfo{NoPieces: flags&DiskCacheNoPieces != 0}
	if h != (TorrentHandle{}) {
		if h.s != s {
			return CacheStatus{}, ErrInvalidHandle
		}
		msg.InfoHash, msg.Torrent = h.ih, true
	}
	r, err := s.request(ctx, msg)
	if err != nil {
		return CacheStatus{}, err
	}
	m, ok := r.(*messages.CacheStatus)
	if !ok {
		return CacheStatus{}, ErrInvalidHandle // TorrentNotFound
	}
	return *m, nil
}
