package torrentactor

import (
	"errors"
	"syscall"
	"time"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// diskErrors is how disk errors stop the torrent: the error state, or upload mode while the disk
// is full. A view of the actor, not a part of it: the state stays in the actor (1000 of its size
// class's 1024 bytes), the type names the concern's methods.
type diskErrors struct{ *Actor }

// diskErrorState is how a disk error left the torrent.
type diskErrorState struct {
	// uploadMode: no downloading, seeding what is had (libtorrent's
	// upload mode); byDisk says a full disk caused it, since.
	uploadMode bool
	byDisk     bool
	since      time.Time
}

// isDiskFull: ENOSPC and EDQUOT put a torrent in upload mode (space may
// come back); other disk errors stop it in the error state.
func isDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// handleDiskError: a write or read failed. The piece (if any) goes back to
// the picker; the torrent stops asking for more blocks at once, so a
// broken disk never turns into a request loop.
func (a diskErrors) handleDiskError(ctx actor.Context, m *messages.PieceHashed) {
	if m.Piece >= 0 && a.picker != nil {
		a.picker.PieceFailed(m.Piece)
	}
	a.postFileError(ctx, m)
	if isDiskFull(m.Err) {
		a.enterUploadMode(ctx, true)
		return
	}
	if a.life.err == nil {
		a.change(ctx, event{kind: evError, err: m.Err})
	}
}

// enterUploadMode stops downloading: peers are told we are not interested,
// their requests are cancelled and the cached blocks of unfinished pieces
// dropped (they are fetched again when downloading resumes).
func (a diskErrors) enterUploadMode(ctx actor.Context, byDisk bool) {
	if a.diskErr.uploadMode {
		if byDisk {
			a.diskErr.byDisk, a.diskErr.since = true, time.Now()
		}
		return
	}
	a.diskErr = diskErrorState{uploadMode: true, byDisk: byDisk, since: time.Now()}
	a.resume.needSave = true
	for p := range a.peers.all() {
		if p.closed {
			continue
		}
		if p.interested {
			p.interested = false
			ctx.Send(p.pid, &messages.SetInterested{Interested: false})
		}
		ctx.Send(p.pid, &messages.CancelRequests{})
	}
	ctx.Request(a.cfg.Disk, &messages.DiskClearCache{InfoHash: a.ih})
}

// handleCacheCleared puts the pieces whose cached blocks the disk dropped
// back in the picker.
func (a diskErrors) handleCacheCleared(m *messages.DiskClearCacheReply) {
	if a.picker == nil {
		return
	}
	for _, p := range m.Pieces {
		if !a.have.Has(p) {
			a.picker.PieceFailed(p)
		}
	}
}

// leaveUploadMode downloads again.
func (a diskErrors) leaveUploadMode(ctx actor.Context) {
	if !a.diskErr.uploadMode {
		return
	}
	a.diskErr = diskErrorState{}
	a.resume.needSave = true
	if a.picker == nil {
		return
	}
	for p := range a.peers.all() {
		if !p.closed && p.connected {
			a.updateInterest(ctx, p)
		}
	}
}

// retryDisk is the auto-managed retry: after optimistic_disk_retry in
// upload mode, try downloading again, as libtorrent does for an
// auto-managed torrent whatever put it there (the user, or a full disk:
// if the disk is still full, the first write says so and the torrent is
// back in upload mode for another period, a bounded number of requests a
// period).
func (a diskErrors) retryDisk(ctx actor.Context, now time.Time) {
	e := a.diskErr
	if !e.uploadMode || !a.life.autoManaged {
		return
	}
	retry := a.set.Seconds(settings.OptimisticDiskRetry)
	if now.Sub(e.since) >= retry {
		a.leaveUploadMode(ctx)
	}
}

// handleClearError takes the torrent out of the error state, and out of
// an upload mode a full disk put it in, and downloads again
// (lifecycle.clearError).
func (a diskErrors) handleClearError(ctx actor.Context) {
	a.change(ctx, event{kind: evClearError, fetching: a.meta.fetching(), checked: a.picker != nil})
}

func (a diskErrors) handleSetUploadMode(ctx actor.Context, m *messages.SetUploadMode) {
	if m.On {
		a.enterUploadMode(ctx, false)
	} else {
		a.leaveUploadMode(ctx)
	}
}
