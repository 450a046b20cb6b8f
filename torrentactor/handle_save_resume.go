package torrentactor

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/actorrent/actorrent/internal/resume"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleSaveResumeData answers with save_resume_data (the bencoded
// fast-resume file) or save_resume_data_failed. The pieces are taken now;
// the files are stat'ed afterwards, so the sizes and times recorded are
// never older than the writes of the pieces claimed.
func (a *Actor) handleSaveResumeData(ctx actor.Context, m *messages.SaveResumeData) {
	switch {
	case a.removing:
		a.saveResumeFailed(ctx, messages.ErrTorrentRemoving)
		return
	case m.Flags&messages.SaveResumeOnlyIfModified != 0 && !a.resume.needSave:
		a.saveResumeFailed(ctx, messages.ErrResumeDataNotModified)
		return
	case a.resume.fullCheck:
		a.saveResumeFailed(ctx, messages.ErrTorrentChecking)
		return
	}
	d := a.resumeSnapshot(m.Flags)
	a.resume.needSave = false
	if m.Flags&messages.SaveResumeFlushDiskCache == 0 {
		a.finishResumeData(ctx, d)
		return
	}
	// The pieces claimed are made durable before the claim is written.
	f := ctx.RequestFuture(a.cfg.Disk, &messages.DiskFlush{InfoHash: a.ih}, 5*time.Minute)
	ctx.ReenterAfter(f, func(res any, err error) {
		if r, ok := res.(*messages.DiskFlushReply); ok && err == nil {
			err = r.Err
		}
		if err != nil {
			a.resume.needSave = true
			a.saveResumeFailed(ctx, err)
			return
		}
		a.finishResumeData(ctx, d)
	})
}

// finishResumeData adds the file sizes and times to d and posts it.
func (a *Actor) finishResumeData(ctx actor.Context, d *resume.Data) {
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
			d.FileSizes = make([]resume.FileSize, len(r.Sizes))
			for i, size := range r.Sizes {
				fs := resume.FileSize{Size: max(size, 0)}
				if i < len(r.MTimes) && !r.MTimes[i].IsZero() {
					fs.MTime, fs.MTimeNano = r.MTimes[i].Unix(), r.MTimes[i].UnixNano()
				}
				d.FileSizes[i] = fs
			}
		}
		var b []byte
		if err == nil {
			b, err = d.Encode()
		}
		if err != nil {
			a.resume.needSave = true
			a.saveResumeFailed(ctx, err)
			return
		}
		a.post(ctx, &messages.SaveResumeDataAlert{AlertHeader: messages.Now(), InfoHash: a.ih, ResumeData: b})
	})
}

func (a *Actor) saveResumeFailed(ctx actor.Context, err error) {
	a.post(ctx, &messages.SaveResumeDataFailedAlert{AlertHeader: messages.Now(), InfoHash: a.ih, Err: err})
}

// resumeSnapshot is the torrent's resume data, file sizes aside.
func (a *Actor) resumeSnapshot(flags messages.SaveResumeFlags) *resume.Data {
	n := a.info.NumPieces()
	d := &resume.Data{
		InfoHash:        a.ih,
		Name:            a.info.Name,
		SavePath:        a.cfg.SavePath,
		Pieces:          make([]byte, n),
		TotalUploaded:   a.resume.prevUpload + a.counters.upload,
		TotalDownloaded: a.resume.prevDownload + a.counters.download,
		ActiveTime:      int64(a.resume.activeTime / time.Second),
		FinishedTime:    int64(a.resume.finishedTime / time.Second),
		SeedingTime:     int64(a.resume.seedingTime / time.Second),
		AddedTime:       a.added.Unix(),
		NumComplete:     -1, NumIncomplete: -1, NumDownloaded: -1,
		Paused:       a.paused,
		AutoManaged:  a.cfg.Flags&messages.FlagAutoManaged != 0,
		Allocation:   allocation(a.cfg.StorageMode),
		Trackers:     a.trackerTiers(),
		URLList:      a.cfg.Meta.URLList,
		Peers:        a.knownAddrPorts(),
		MappedFiles:  a.mappedFiles(),
		FilePriority: a.filePrioritiesForResume(),
	}
	if !a.completed.IsZero() {
		d.CompletedTime = a.completed.Unix()
	}
	seed := true
	for p := range n {
		if a.pieceClaimed(p) {
			d.Pieces[p] = 1
		} else {
			seed = false
		}
	}
	d.SeedMode = seed && a.cfg.Flags&messages.FlagSeedMode != 0
	if flags&messages.SaveResumeSaveInfoDict != 0 {
		d.Info = a.cfg.Meta.InfoBytes
	}
	return d
}

// pieceClaimed: resume data may say the piece is had. While the resume
// data the torrent was added with is being checked, its claims stand
// until the check ends.
func (a *Actor) pieceClaimed(p int) bool {
	if a.have.Has(p) {
		return true
	}
	return a.resume.claims != nil && a.resume.claims[p]
}

// trackerTiers is the torrent's tracker list, by tier: the announcer's
// (after AddTracker and ReplaceTrackers), else the torrent file's.
func (a *Actor) trackerTiers() [][]string {
	if a.trk.tiers != nil {
		return cloneTiers(a.trk.tiers)
	}
	if len(a.cfg.Trackers.Tiers) > 0 {
		return cloneTiers(a.cfg.Trackers.Tiers)
	}
	m := a.cfg.Meta
	if len(m.AnnounceList) > 0 {
		return m.AnnounceList
	}
	if m.Announce != "" {
		return [][]string{{m.Announce}}
	}
	return nil
}

// knownAddrPorts are the peers we know by a numeric address.
func (a *Actor) knownAddrPorts() []netip.AddrPort {
	var out []netip.AddrPort
	for addr := range a.known {
		if ap, err := netip.ParseAddrPort(addr); err == nil {
			out = append(out, ap)
		}
	}
	slices.SortFunc(out, netip.AddrPort.Compare)
	return out
}

// allocation is the resume data's name of a storage mode.
func allocation(m messages.StorageMode) string {
	if m == messages.StorageModeSparse {
		return resume.AllocationSparse
	}
	return resume.AllocationAllocate
}

// filePrioritiesForResume is nil when every file has the default.
func (a *Actor) filePrioritiesForResume() []int {
	for _, p := range a.filePrio {
		if p != defaultPriority {
			return append([]int(nil), a.filePrio...)
		}
	}
	return nil
}
