package torrentactor

import (
	"fmt"
	"time"

	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/internal/resume"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// resumeLoader reads the resume data the torrent was added with and checks it against the files. A
// view of the actor, not a part of it: the state stays in the actor (1000 of its size class's 1024
// bytes), the type names the concern's methods.
type resumeLoader struct{ *Actor }

// resumeState is what the torrent keeps of the resume data it was added
// with and what it needs to write new resume data.
type resumeState struct {
	// loaded is the decoded resume data while it is being checked; nil
	// once the check ended or when there was none (or it was rejected).
	loaded *resume.Data
	// claims are the pieces the loaded data claimed, while they are being
	// checked: a save during that check writes them again, so that a
	// crash mid-check forgets nothing.
	claims []bool
	// fullCheck is true while a full check runs (no usable resume data):
	// what is had is unknown until it ends.
	fullCheck bool
	// checkGen tells a stale disk answer from the current check's.
	checkGen int
	// needSave: something resume data records changed since the last save.
	needSave bool
	// Totals carried over from earlier sessions (the times are the
	// clock's: times.go).
	prevUpload, prevDownload int64
}

// loadResumeData decodes the resume data the torrent was added with and
// applies what it says about the torrent itself (save path, times,
// totals, flags). Rejected data is reported and forgotten: the files are
// then checked in full.
func (a resumeLoader) loadResumeData(ctx actor.Context) {
	if len(a.cfg.ResumeData) == 0 {
		return
	}
	d, err := resume.Decode(a.cfg.ResumeData)
	if err == nil && d.InfoHash != a.ih {
		err = fmt.Errorf("%w: resume data is for %x", resume.ErrMismatchingInfoHash, d.InfoHash)
	}
	a.cfg.ResumeData = nil // decoded once; the bytes are not kept
	if err != nil {
		a.rejectResume(ctx, err)
		return
	}
	a.resume.loaded = d
	if a.cfg.Flags&messages.FlagOverrideResumeData == 0 {
		a.flt.apply = d.ApplyIPFilter // as paused: the resume data's wins
	}
	for _, ap := range d.Peers {
		if !(filters{a.Actor}).refusePeer(ctx, ap, true) {
			a.plist.Add(ap, peerlist.FromResume)
		}
	}
	for _, ap := range d.BannedPeers {
		a.plist.Ban(ap)
	}
	a.resume.prevUpload, a.resume.prevDownload = d.TotalUploaded, d.TotalDownloaded
	a.clock.active = time.Duration(d.ActiveTime) * time.Second
	a.clock.finished = time.Duration(d.FinishedTime) * time.Second
	a.clock.seeding = time.Duration(d.SeedingTime) * time.Second
	if d.AddedTime > 0 {
		a.added = time.Unix(d.AddedTime, 0)
	}
	if d.CompletedTime > 0 {
		a.completed = time.Unix(max(d.CompletedTime, d.AddedTime), 0)
	}
	flags := a.cfg.Flags
	a.filePaths = storageOps{a.Actor}.resumeFilePaths(d.MappedFiles)
	a.applyResumeTrackers(d.Trackers)
	if flags&messages.FlagUseResumeSavePath != 0 && d.SavePath != "" {
		a.cfg.SavePath = d.SavePath
	}
	if flags&messages.FlagOverrideResumeData == 0 {
		// The resume data's own flags and limits win unless the caller
		// overrides them (as libtorrent).
		a.change(ctx, event{kind: evFlags, on: d.Paused, auto: d.AutoManaged})
		if pa := (pieceAccessor{a.Actor}); d.SequentialDownload != pa.sequential() {
			pa.access().sequential = d.SequentialDownload
		}
		superSeeder{a.Actor}.setInitial(d.SuperSeeding)
		sharing{a.Actor}.turn(d.ShareMode)
		if d.UploadMode && !a.diskErr.uploadMode {
			a.diskErr = diskErrorState{uploadMode: true, since: time.Now()}
		}
		a.cfg.Limits = messages.TorrentLimits{
			MaxUploads: max(d.MaxUploads, 0), MaxConnections: max(d.MaxConnections, 0),
			UploadLimit: max(d.UploadRateLimit, 0), DownloadLimit: max(d.DownloadRateLimit, 0),
		}
	}
}

// rejectResume posts fastresume_rejected.
func (a resumeLoader) rejectResume(ctx actor.Context, err error) {
	a.log.Info("fast resume rejected", zap.Stringer("torrent", a.ih), zap.Error(err))
	a.post(ctx, &messages.FastresumeRejectedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Error: err})
}

// checkResumeData is the check of a torrent added with resume data: the
// files are looked at (sizes and times, no reading), the pieces the data
// may be trusted for are had at once, and pieces it claims for files that
// changed are hashed. Data rejected as a whole falls back to a full check.
func (a resumeLoader) checkResumeData(ctx actor.Context) {
	a.change(ctx, event{kind: evCheckState, state: messages.StateCheckingResumeData})
	gen := a.resume.checkGen
	f := ctx.RequestFuture(a.cfg.Disk, &messages.DiskFileStats{InfoHash: a.ih}, time.Minute)
	ctx.ReenterAfter(f, func(res any, err error) {
		if gen != a.resume.checkGen || a.life.removing || a.resume.loaded == nil {
			return // a recheck or a removal came first
		}
		r, _ := res.(*messages.DiskFileStatsReply)
		if err == nil && r == nil {
			err = fmt.Errorf("torrentactor: unexpected file stats reply %T", res)
		}
		if err == nil {
			err = r.Err
		}
		if err != nil {
			a.change(ctx, event{kind: evError, err: err})
			return
		}
		d := a.resume.loaded
		states := fileStates(r)
		v, err := resume.Validate(d, a.ih, a.info, states)
		if err != nil {
			a.rejectResume(ctx, err)
			a.resume.loaded = nil
			a.startFullCheck(ctx)
			return
		}
		if v.SeedMode {
			seedMode{a.Actor}.enter(resumeVerified(d)) // seed_mode_resume.go
		}
		a.resume.claims = make([]bool, len(v.Have))
		verify := false
		for p := range v.Have {
			a.resume.claims[p] = v.Have[p] || v.Verify[p]
			verify = verify || v.Verify[p]
		}
		// Pieces finished after the last save (in files written since)
		// are hashed too: they are not claimed, so a save during this
		// check does not claim them either.
		for p, t := range resume.TouchedPieces(d, a.info, states) {
			if t && !v.Have[p] {
				v.Verify[p] = true
				verify = true
			}
		}
		if verify {
			a.log.Info("resume data: verifying pieces", zap.Stringer("torrent", a.ih), zap.String("why", v.Reason))
			a.change(ctx, event{kind: evCheckState, state: messages.StateCheckingFiles})
		}
		ctx.Request(a.cfg.Disk, &messages.DiskCheck{InfoHash: a.ih, Have: v.Have, Verify: v.Verify, Gen: gen})
	})
}

// fileStates turns the disk's answer into Validate's input.
func fileStates(r *messages.DiskFileStatsReply) []resume.FileState {
	out := make([]resume.FileState, len(r.Sizes))
	for i, size := range r.Sizes {
		out[i] = resume.FileState{Exists: size >= 0, Size: max(size, 0)}
		if i < len(r.MTimes) && !r.MTimes[i].IsZero() {
			out[i].MTime, out[i].MTimeNano = r.MTimes[i].Unix(), r.MTimes[i].UnixNano()
		}
	}
	return out
}

// endResumeCheck forgets the loaded resume data once a check ended.
func (a resumeLoader) endResumeCheck() {
	a.resume.loaded = nil
	a.resume.claims = nil
	a.resume.fullCheck = false
	a.resume.needSave = true
}

// applyResumeTrackers: resume data's trackers replace the torrent's (the
// add's, else the torrent file's), or with merge_resume_trackers join
// them, duplicates skipped. Absent "trackers" changes nothing.
func (a resumeLoader) applyResumeTrackers(tiers [][]string) {
	if tiers == nil {
		return
	}
	base := a.cfg.Tiers
	if len(base) == 0 {
		base = metaTiers(a.cfg.Meta.Announce, a.cfg.Meta.AnnounceList)
	}
	if a.cfg.Flags&messages.FlagMergeResumeTracker == 0 {
		a.cfg.Tiers = cloneTiers(tiers)
		return
	}
	merged := cloneTiers(base)
	seen := map[string]bool{}
	for _, tier := range merged {
		for _, u := range tier {
			seen[u] = true
		}
	}
	for i, tier := range tiers {
		for _, u := range tier {
			if seen[u] {
				continue
			}
			seen[u] = true
			for len(merged) <= i {
				merged = append(merged, nil)
			}
			merged[i] = append(merged[i], u)
		}
	}
	a.cfg.Tiers = merged
}
