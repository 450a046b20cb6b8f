package torrentactor

import (
	"errors"
	"slices"
	"time"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// ErrTorrentActorFailed is the torrent error after its actor panicked.
var ErrTorrentActorFailed = errors.New("torrentactor: torrent failed")

// handleStarted registers the storage with the disk and starts checking
// (or, in seed mode, trusts the files).
func (a *Actor) handleStarted(ctx actor.Context) {
	a.change(ctx, event{kind: evFlags, on: a.cfg.Flags&messages.FlagPaused != 0, auto: a.cfg.Flags&messages.FlagAutoManaged != 0})
	superSeeder{a}.setInitial(a.cfg.Flags&messages.FlagSuperSeeding != 0)
	if a.cfg.Flags&messages.FlagUploadMode != 0 {
		// Added in upload mode: seed what is had, request nothing.
		a.diskErr = diskErrorState{uploadMode: true, since: time.Now()}
	}
	sharing{a}.turn(a.cfg.Flags&messages.FlagShareMode != 0)
	filters{a}.initFilters()
	rateLimits{a}.syncRates()
	if a.meta.fetching() {
		metaFetch{a}.startMetadata(ctx)
		return
	}
	seedMode{a}.enterFromFlag() // seed_mode.go
	resumeLoader{a}.loadResumeData(ctx)
	rateLimits{a}.syncRates() // resume data may carry limits
	var resumePrio []int
	if a.resume.loaded != nil {
		resumePrio = a.resume.loaded.FilePriority
	}
	priorities{a}.initPriorities(a.cfg.FilePriorities, resumePrio)
	a.trk.init(a.cfg.trackers(), a.cfg.Meta)
	a.startCheck(ctx)
}

// registerStorage gives the disk the torrent's storage (the disk ignores
// it for a torrent it already has).
func (a *Actor) registerStorage(ctx actor.Context) {
	a.registered = true
	ctx.Send(a.cfg.Disk, &messages.DiskAddTorrent{
		InfoHash: a.ih, Info: a.info, SavePath: a.cfg.SavePath, Owner: ctx.Self(), Credit: a.credit,
		CreditLimit: int64(a.set.Int(settings.MaxQueuedDiskBytes)), StorageMode: a.cfg.StorageMode, FilePaths: a.filePaths,
		NewStorage: a.cfg.NewStorage, FilePriorities: priorities{a}.filePrioritiesForDisk(),
	})
}

// startCheck finds out which pieces are had: from resume data when the
// torrent has some (it wins over the seed-mode flag), else by a full
// check (or, in seed mode, by trust).
func (a *Actor) startCheck(ctx actor.Context) {
	a.have = bitfield.New(a.info.NumPieces())
	a.picker = nil
	a.checking = checkProgress{total: a.info.NumPieces()}
	a.change(ctx, event{kind: evCheck})
	a.resume.checkGen++
	if a.resume.loaded == nil && a.deferCheck() {
		a.deferFullCheck(ctx) // check_deferred.go: no storage either
		return
	}
	a.ensureStorage(ctx)
	if a.resume.loaded != nil {
		resumeLoader{a}.checkResumeData(ctx)
		return
	}
	a.startFullCheck(ctx)
}

func (a *Actor) startFullCheck(ctx actor.Context) {
	a.ensureStorage(ctx)
	chk := seedMode{a}.diskCheck(a.resume.checkGen) // seed mode's, or after it failed
	a.resume.fullCheck = chk == nil
	if chk == nil {
		chk = &messages.DiskCheck{InfoHash: a.ih, Gen: a.resume.checkGen}
	}
	a.change(ctx, event{kind: evFullCheck})
	// A request, so that the disk can answer even a torrent it does not
	// know (its storage could not be made).
	ctx.Request(a.cfg.Disk, chk)
}

// handleCheckDone builds the picker from the pieces that passed and starts
// downloading (or seeding).
func (a *Actor) handleCheckDone(ctx actor.Context, m *messages.DiskCheckReply) {
	resumeLoader{a}.endResumeCheck()
	if m.Err != nil {
		a.change(ctx, event{kind: evError, err: m.Err})
		return
	}
	a.picker = piecepicker.New(a.info.NumPieces(), a.info.PieceLength, a.info.TotalLength)
	a.picker.SetPolicy(pickPolicy(a.set))
	a.filesLeft = nil // counted again from the checked bitfield
	clear(a.senders)  // a new picker: no piece in flight
	for p, prio := range (priorities{a}).piecePriorities() {
		if prio != defaultPriority {
			a.picker.SetPiecePriority(p, prio)
		}
	}
	for p, ok := range m.Have {
		if ok {
			a.picker.SetHave(p)
			a.have.Set(p)
		}
	}
	sharing{a}.pickerMade()
	pieceAccessor{a}.applyModes(ctx)
	seedMode{a}.checked(ctx)
	a.checking = checkProgress{done: a.info.NumPieces(), total: a.info.NumPieces()}
	a.post(ctx, &messages.TorrentCheckedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
	complete := a.picker.IsComplete()
	if complete && a.completed.IsZero() {
		a.completed = time.Now()
	}
	a.change(ctx, event{kind: evChecked, on: complete, state: a.completeState()})
	metaFetch{a}.releasePendingPeers(ctx)
	if a.life.runs() {
		peerList{a}.connectMore(ctx)
	}
	trackers{a}.syncAnnouncing(ctx)
	superSeeder{a}.checked(ctx) // super_seed.go: only a seed super seeds
}

// handleRemove disconnects everything, lets the disk close (or delete) the
// files behind its fence, posts the result and stops the actor.
func (a *Actor) handleRemove(ctx actor.Context, m *messages.RemoveTorrent) {
	if !slices.Contains(a.change(ctx, event{kind: evRemove}), effRemove) {
		return // being removed already
	}
	// Stopped goes to the trackers before the files close: both are
	// bounded, and the session's Close waits for this actor to stop.
	trackers{a}.stopAnnouncingThen(ctx, func() { a.removeFiles(ctx, m) })
}

// removeFiles lets the disk close (or delete) the files, posts the result
// and stops the actor.
func (a *Actor) removeFiles(ctx actor.Context, m *messages.RemoveTorrent) {
	done := func(err error) {
		if m.DeleteFiles {
			if err != nil {
				a.post(ctx, &messages.TorrentDeleteFailedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Error: err})
			} else {
				a.post(ctx, &messages.TorrentDeletedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
			}
		}
		ctx.Send(a.cfg.Session, &messages.TorrentStopped{InfoHash: a.ih})
		ctx.Stop(ctx.Self())
	}
	if !a.registered && !m.DeleteFiles {
		done(nil) // the disk never had its files (a check put off)
		return
	}
	if m.DeleteFiles && !a.meta.fetching() {
		a.ensureStorage(ctx) // the disk deletes the files it knows
	}
	f := ctx.RequestFuture(a.cfg.Disk, &messages.DiskRemoveTorrent{InfoHash: a.ih, DeleteFiles: m.DeleteFiles}, time.Minute)
	ctx.ReenterAfter(f, func(res any, err error) {
		if r, ok := res.(*messages.DiskRemoveTorrentReply); ok && err == nil {
			err = r.Err
		}
		done(err)
	})
}

func (a *Actor) handleStopping() {
	ticker{a}.stopTimers()
	metaFetch{a}.stopMetadataTimer()
	choking{a}.releaseUploadSlots()
	a.credit.Close()
}

// postFileError turns a disk error into file_error.
func (a *Actor) postFileError(ctx actor.Context, m *messages.PieceHashed) {
	a.post(ctx, &messages.FileErrorAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), File: m.Path, Operation: m.Op, Error: m.Err})
}

// completeState is the state of a torrent with every wanted piece: seeding
// when it has them all, finished when files were left out.
func (a *Actor) completeState() messages.TorrentState {
	if a.have.All() {
		return messages.StateSeeding
	}
	return messages.StateFinished
}

// change applies ev to the torrent's lifecycle and carries out the
// effects, in order; it returns them (effRemove is the caller's).
func (a *Actor) change(ctx actor.Context, ev event) []effect {
	prev := a.life.state
	next, effs := a.life.apply(ev)
	a.life = next
	for _, e := range effs {
		switch e {
		case effSave:
			a.resume.needSave = true
		case effStateChanged:
			ctx.Send(a.cfg.Session, &messages.TorrentStateUpdate{InfoHash: a.ih, State: next.state, Errored: next.err != nil})
			a.post(ctx, &messages.StateChangedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), State: next.state, PrevState: prev})
		case effPostPaused:
			a.post(ctx, &messages.TorrentPausedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
		case effPostResumed:
			a.post(ctx, &messages.TorrentResumedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
		case effSyncAnnounce:
			trackers{a}.syncAnnouncing(ctx)
		case effCloseIdle:
			a.closeIdlePeers(ctx)
		case effFinishPause:
			a.finishPause(ctx)
		case effStartCheck:
			a.startFullCheck(ctx)
		case effConnect:
			peerList{a}.connectMore(ctx)
		case effDisconnect:
			a.disconnectAll(ctx, nil)
		case effPostError:
			a.post(ctx, &messages.TorrentErrorAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Error: next.err})
		case effRegister:
			a.registerStorage(ctx)
		case effForgetResume:
			a.resume.loaded, a.resume.claims = nil, nil // a recheck trusts nothing
		case effCheckAgain:
			a.startCheck(ctx)
		case effResumeMetadata:
			metaFetch{a}.pumpMetadata(ctx)
		case effLeaveUploadMode:
			if a.diskErr.byDisk {
				diskErrors{a}.leaveUploadMode(ctx)
			}
		}
	}
	return effs
}
