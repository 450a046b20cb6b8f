package torrentactor

import (
	"fmt"
	"time"

	"github.com/actorrent/actorrent/internal/resume"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// resumeSaver writes the torrent's resume data (save_resume_data). A view of the actor, not a part
// of it: the state stays in the actor (1000 of its size class's 1024 bytes), the type names the
// concern's methods.
type resumeSaver struct{ *Actor }

// handleSaveResumeData answers with save_resume_data (the bencoded
// fast-resume file) or save_resume_data_failed. The files are stat'ed
// first, behind the disk's fence, and the pieces taken when the answer
// comes: every piece written before the stat is had by then, and every
// piece written after it is in a file whose size or time no longer
// matches the record, so a crash after this save loses no piece (see
// resume.TouchedPieces). With SaveResumeFlushDiskCache the files are
// fsynced after the pieces are taken, before the data is posted.
func (a resumeSaver) handleSaveResumeData(ctx actor.Context, m *messages.SaveResumeData) {
	if err := a.canSaveResume(m.Flags); err != nil {
		a.saveResumeFailed(ctx, err)
		return
	}
	a.resume.needSave = false
	f := ctx.RequestFuture(a.cfg.Disk, &messages.DiskFileStats{InfoHash: a.ih}, time.Minute)
	ctx.ReenterAfter(f, func(res any, err error) {
		r, _ := res.(*messages.DiskFileStatsReply)
		if err == nil && r == nil {
			err = fmt.Errorf("torrentactor: unexpected file stats reply %T", res)
		}
		if err == nil {
			err = r.Err
		}
		if err == nil {
			err = a.canSaveResume(0) // a recheck or a removal may have come since
		}
		if err != nil {
			a.resume.needSave = true
			a.saveResumeFailed(ctx, err)
			return
		}
		d := a.resumeSnapshot(m.Flags)
		d.FileSizes = fileSizes(r, time.Now())
		if m.Flags&messages.SaveResumeFlushDiskCache == 0 {
			a.postResumeData(ctx, d)
			return
		}
		ff := ctx.RequestFuture(a.cfg.Disk, &messages.DiskFlush{InfoHash: a.ih}, 5*time.Minute)
		ctx.ReenterAfter(ff, func(res any, err error) {
			if r, ok := res.(*messages.DiskFlushReply); ok && err == nil {
				err = r.Err
			}
			if err != nil {
				a.resume.needSave = true
				a.saveResumeFailed(ctx, err)
				return
			}
			a.postResumeData(ctx, d)
		})
	})
}

// canSaveResume says why resume data cannot be saved now, if so.
func (a resumeSaver) canSaveResume(flags messages.SaveResumeFlags) error {
	switch {
	case a.life.removing:
		return messages.ErrTorrentRemoving
	case flags&messages.SaveResumeOnlyIfModified != 0 && !a.resume.needSave:
		return messages.ErrResumeDataNotModified
	case a.resume.fullCheck:
		return messages.ErrTorrentChecking
	}
	return nil
}

// coarseMTime is how close to the save a file's mtime may be and still be
// shared by a write that came after the stat: file systems stamp mtimes
// from a coarse clock (a few ms on ext4, up to seconds elsewhere).
const coarseMTime = 2 * time.Second

// fileSizes is resume data's "file sizes" from the disk's answer at now.
// A file written within coarseMTime of now is recorded a nanosecond older
// than it is: a write after the stat may have left its mtime as it was,
// and the file must look changed on the next start so that its pieces
// not claimed here are hashed (a recent file costs that check; a file at
// rest is recorded exactly and costs nothing).
func fileSizes(r *messages.DiskFileStatsReply, now time.Time) []resume.FileSize {
	out := make([]resume.FileSize, len(r.Sizes))
	for i, size := range r.Sizes {
		fs := resume.FileSize{Size: max(size, 0)}
		if i < len(r.MTimes) && !r.MTimes[i].IsZero() {
			mt := r.MTimes[i]
			if now.Sub(mt) < coarseMTime {
				mt = mt.Add(-time.Nanosecond)
			}
			fs.MTime, fs.MTimeNano = mt.Unix(), mt.UnixNano()
		}
		out[i] = fs
	}
	return out
}

// postResumeData encodes d and posts it.
func (a resumeSaver) postResumeData(ctx actor.Context, d *resume.Data) {
	b, err := d.Encode()
	if err != nil {
		a.resume.needSave = true
		a.saveResumeFailed(ctx, err)
		return
	}
	a.post(ctx, &messages.SaveResumeDataAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), ResumeData: b})
}

func (a resumeSaver) saveResumeFailed(ctx actor.Context, err error) {
	a.post(ctx, &messages.SaveResumeDataFailedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Error: err})
}

// resumeSnapshot is the torrent's resume data, file sizes aside.
func (a resumeSaver) resumeSnapshot(flags messages.SaveResumeFlags) *resume.Data {
	n := a.info.NumPieces()
	active, finished, seeding := a.clock.times(time.Now())
	d := &resume.Data{
		InfoHash:        a.ih,
		Name:            a.info.Name,
		SavePath:        a.cfg.SavePath,
		Pieces:          make([]byte, n),
		TotalUploaded:   a.resume.prevUpload + a.counters.upload,
		TotalDownloaded: a.resume.prevDownload + a.counters.download,
		ActiveTime:      int64(active / time.Second),
		FinishedTime:    int64(finished / time.Second),
		SeedingTime:     int64(seeding / time.Second),
		AddedTime:       a.added.Unix(),
		NumComplete:     -1, NumIncomplete: -1, NumDownloaded: -1,
		// No per-torrent limits: libtorrent writes -1 for "unlimited".
		UploadRateLimit: orNone(a.cfg.Limits.UploadLimit), DownloadRateLimit: orNone(a.cfg.Limits.DownloadLimit),
		MaxConnections: orNone(a.cfg.Limits.MaxConnections), MaxUploads: orNone(a.cfg.Limits.MaxUploads),
		Paused:             a.life.paused,
		AutoManaged:        a.life.autoManaged,
		SequentialDownload: pieceAccessor{a.Actor}.sequential(),
		UploadMode:         a.diskErr.uploadMode && !a.diskErr.byDisk,
		ShareMode:          sharing{a.Actor}.on(),
		Allocation:         allocation(a.cfg.StorageMode),
		Trackers:           a.trackerTiers(),
		URLList:            a.cfg.Meta.URLList,
		MappedFiles:        storageOps{a.Actor}.mappedFiles(),
		FilePriority:       a.filePrioritiesForResume(),
	}
	d.Peers, d.BannedPeers = peerList{a.Actor}.listedPeers()
	d.ApplyIPFilter = a.flt.apply
	if !a.completed.IsZero() {
		d.CompletedTime = a.completed.Unix()
	}
	for p := range n {
		if a.pieceClaimed(p) {
			d.Pieces[p] = 1
		}
	}
	seedMode{a.Actor}.saveResume(d) // seed_mode_resume.go: seed_mode, bit 0x2
	d.SuperSeeding = superSeeder{a.Actor}.on()
	if flags&messages.SaveResumeSaveInfoDict != 0 {
		d.Info = a.cfg.Meta.InfoBytes
	}
	return d
}

// pieceClaimed: resume data may say the piece is had. While the resume
// data the torrent was added with is being checked, its claims stand
// until the check ends.
func (a resumeSaver) pieceClaimed(p int) bool {
	if a.have.Has(p) {
		return true
	}
	return a.resume.claims != nil && a.resume.claims[p]
}

// trackerTiers is the torrent's tracker list, by tier: the announcer's
// (after AddTracker and ReplaceTrackers), else the torrent file's.
func (a resumeSaver) trackerTiers() [][]string {
	if a.trk.tiers != nil {
		return cloneTiers(a.trk.tiers)
	}
	if len(a.cfg.Tiers) > 0 {
		return cloneTiers(a.cfg.Tiers)
	}
	m := a.cfg.Meta
	if m == nil {
		return nil
	}
	if len(m.AnnounceList) > 0 {
		return m.AnnounceList
	}
	if m.Announce != "" {
		return [][]string{{m.Announce}}
	}
	return nil
}

// allocation is the resume data's name of a storage mode.
func allocation(m messages.StorageMode) string {
	if m == messages.StorageModeSparse {
		return resume.AllocationSparse
	}
	return resume.AllocationAllocate
}

// filePrioritiesForResume is nil when every file has the default.
func (a resumeSaver) filePrioritiesForResume() []int {
	for _, p := range a.filePrio {
		if p != defaultPriority {
			return append([]int(nil), a.filePrio...)
		}
	}
	return nil
}
