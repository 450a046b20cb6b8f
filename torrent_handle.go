package actorrent

import (
	"context"
	"fmt"
	"net"

	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
)

// TorrentHandle refers to a torrent in a session (libtorrent's
// torrent_handle). It is a small value, safe to copy and compare; it stays
// usable after its torrent is removed, and then every method returns
// ErrInvalidHandle.
type TorrentHandle struct {
	ih InfoHash
	s  *Session
}

// InfoHash is the torrent's info-hash.
func (h TorrentHandle) InfoHash() InfoHash { return h.ih }

// IsValid reports whether the torrent is still in the session.
func (h TorrentHandle) IsValid(ctx context.Context) bool {
	if h.s == nil {
		return false
	}
	_, ok, err := h.s.FindTorrent(ctx, h.ih)
	return err == nil && ok
}

// send delivers a command the torrent does not answer.
func (h TorrentHandle) send(ctx context.Context, msg any) error {
	_, err := h.ask(ctx, msg, false)
	return err
}

// ask delivers a request through the session to the torrent.
func (h TorrentHandle) ask(ctx context.Context, msg any, reply bool) (any, error) {
	if h.s == nil {
		return nil, ErrInvalidHandle
	}
	r, err := h.s.request(ctx, &messages.ToTorrent{InfoHash: h.ih, Msg: msg, NeedsReply: reply})
	if err != nil {
		return nil, err
	}
	if _, ok := r.(*messages.TorrentNotFound); ok {
		return nil, ErrInvalidHandle
	}
	return r, nil
}

// Status returns a snapshot of the torrent's status. The flags select the
// costly fields (QueryPieces, QueryName, ...); without any, every field is
// filled (libtorrent's default, QueryAll).
func (h TorrentHandle) Status(ctx context.Context, flags ...StatusFlags) (TorrentStatus, error) {
	f := QueryAll
	if len(flags) > 0 {
		f = 0
		for _, x := range flags {
			f |= x
		}
	}
	r, err := h.ask(ctx, &messages.GetTorrentStatus{Flags: f}, true)
	if err != nil {
		return TorrentStatus{}, err
	}
	return h.s.newTorrentStatus(r.(*messages.TorrentStatus)), nil
}

// TorrentFile returns the torrent's metadata (libtorrent's
// torrent_file()); nil, nil while a torrent added from a magnet link
// still fetches it.
func (h TorrentHandle) TorrentFile(ctx context.Context) (*TorrentInfo, error) {
	r, err := h.ask(ctx, &messages.GetTorrentFile{}, true)
	if err != nil {
		return nil, err
	}
	m := r.(*messages.TorrentFileReply).Meta
	if m == nil {
		return nil, nil
	}
	return &TorrentInfo{m: m}, nil
}

// ConnectPeer adds a peer (host:port) and connects to it when the torrent
// can have peers; a paused torrent connects on resume.
func (h TorrentHandle) ConnectPeer(ctx context.Context, addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return err
	}
	return h.send(ctx, &messages.ConnectPeer{Addr: addr})
}

// ForceRecheck forgets which pieces are had and checks the files again.
func (h TorrentHandle) ForceRecheck(ctx context.Context) error {
	return h.send(ctx, &messages.ForceRecheck{})
}

// SaveResumeFlags are libtorrent's save_resume_data flags.
type SaveResumeFlags = messages.SaveResumeFlags

// The flags of SaveResumeData.
const (
	// SaveResumeFlushDiskCache fsyncs the torrent's files first, after
	// every write queued before the call, so the pieces the resume data
	// claims survive a power loss too (pieces are had only once written,
	// so resume data never claims a block still in memory either way).
	SaveResumeFlushDiskCache = messages.SaveResumeFlushDiskCache
	// SaveResumeSaveInfoDict puts the info dictionary in the resume data,
	// so that it alone can add the torrent again.
	SaveResumeSaveInfoDict = messages.SaveResumeSaveInfoDict
	// SaveResumeOnlyIfModified makes the save fail with
	// ErrResumeDataNotModified when nothing changed since the last one.
	SaveResumeOnlyIfModified = messages.SaveResumeOnlyIfModified
)

// SaveResumeData asks for the torrent's fast-resume data. The answer comes
// as an alert, exactly one per call: SaveResumeDataAlert with the data, or
// SaveResumeDataFailedAlert (ErrResumeDataNotModified, ErrTorrentChecking
// during a full check, ErrTorrentRemoving, or a disk error). Write the
// data atomically; TorrentStatus.NeedSaveResume says when a new save is
// worth it.
func (h TorrentHandle) SaveResumeData(ctx context.Context, flags SaveResumeFlags) error {
	return h.send(ctx, &messages.SaveResumeData{Flags: flags})
}

// MoveFlags are libtorrent's move_flags_t.
type MoveFlags = storage.MoveFlags

// The flags of MoveStorage.
const (
	// AlwaysReplaceFiles overwrites files already at the destination.
	AlwaysReplaceFiles = storage.AlwaysReplaceFiles
	// FailIfExist moves nothing when any file is already there.
	FailIfExist = storage.FailIfExist
	// DontReplace keeps files already at the destination and uses them.
	DontReplace = storage.DontReplace
)

// MoveStorage moves the torrent's files under savePath, which becomes its
// save path. It runs after the disk work already queued for the torrent,
// and the torrent's later disk work waits for it; other torrents go on.
// The answer is a StorageMovedAlert or a StorageMovedFailedAlert (the
// files are then where they were).
func (h TorrentHandle) MoveStorage(ctx context.Context, savePath string, flags MoveFlags) error {
	if savePath == "" {
		return fmt.Errorf("%w: empty save path", ErrInvalidParams)
	}
	return h.send(ctx, &messages.MoveStorage{SavePath: savePath, Flags: int(flags)})
}

// RenameFile gives file index a new path, relative to the save path or
// absolute; the file on disk moves with it. The answer is a
// FileRenamedAlert or a FileRenameFailedAlert. Resume data records the
// new names (relative ones only are taken back on load).
func (h TorrentHandle) RenameFile(ctx context.Context, index int, name string) error {
	return h.send(ctx, &messages.RenameFile{Index: index, Name: name})
}

// ClearError takes the torrent out of the error state a disk error (or a
// failure of its actor) put it in, and out of the upload mode a full disk
// put it in; it downloads again. If the cause is still there, the next
// disk operation says so with a new FileErrorAlert.
func (h TorrentHandle) ClearError(ctx context.Context) error {
	return h.send(ctx, &messages.ClearError{})
}

// SetUploadMode puts the torrent in upload mode (no downloading; what it
// has is seeded) or takes it out. A full disk puts a torrent in upload
// mode by itself. An auto-managed torrent leaves upload mode after
// optimistic_disk_retry, whatever put it there (libtorrent's rule).
func (h TorrentHandle) SetUploadMode(ctx context.Context, on bool) error {
	return h.send(ctx, &messages.SetUploadMode{On: on})
}

// SetShareMode puts the torrent in share mode or takes it out
// (libtorrent's set_share_mode; FlagShareMode at add). In share mode the
// torrent downloads only the pieces it expects to upload more than once
// (share_mode_target); out of it, it downloads as its priorities say.
func (h TorrentHandle) SetShareMode(ctx context.Context, on bool) error {
	return h.send(ctx, &messages.SetShareMode{On: on})
}
