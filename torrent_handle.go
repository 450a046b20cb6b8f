package actorrent

import (
	"context"
	"net"

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

// Status returns a snapshot of the torrent's status.
func (h TorrentHandle) Status(ctx context.Context) (TorrentStatus, error) {
	r, err := h.ask(ctx, &messages.GetTorrentStatus{}, true)
	if err != nil {
		return TorrentStatus{}, err
	}
	return newTorrentStatus(h, r.(*messages.TorrentStatusReply)), nil
}

// ConnectPeer adds a peer (host:port) and connects to it when the torrent
// can have peers; a paused torrent connects on resume.
func (h TorrentHandle) ConnectPeer(ctx context.Context, addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return err
	}
	return h.send(ctx, &messages.ConnectPeer{Addr: addr})
}

// Pause disconnects every peer and stops the torrent (torrent_paused).
func (h TorrentHandle) Pause(ctx context.Context) error {
	return h.send(ctx, &messages.PauseTorrent{})
}

// Resume undoes Pause (torrent_resumed).
func (h TorrentHandle) Resume(ctx context.Context) error {
	return h.send(ctx, &messages.ResumeTorrent{})
}

// ForceRecheck forgets which pieces are had and checks the files again.
func (h TorrentHandle) ForceRecheck(ctx context.Context) error {
	return h.send(ctx, &messages.ForceRecheck{})
}

// SaveResumeFlags are libtorrent's save_resume_data flags.
type SaveResumeFlags = messages.SaveResumeFlags

// The flags of SaveResumeData.
const (
	// SaveResumeFlushDiskCache is accepted: pieces are had only once they
	// are written, so resume data never claims a block still in memory.
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
