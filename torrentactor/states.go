package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// phaseHandlers are the message handlers of each phase of the lifecycle.
var phaseHandlers = [...]func(*Actor, actor.Context){
	phaseChecking: (*Actor).checkingState,
	phaseMetadata: func(a *Actor, ctx actor.Context) { metaFetch{a}.metadataState(ctx) },
	phaseActive:   (*Actor).activeState,
	phaseError:    (*Actor).errorState,
}

// checkingState: the disk is hashing what is already there. No peers yet.
func (a *Actor) checkingState(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *messages.DiskCheckProgress:
		if m.Gen != a.resume.checkGen {
			return // a check that a newer one superseded
		}
		a.checking = checkProgress{done: m.Checked, total: m.Total}
		// The disk says whether the check waits for an active_checking
		// slot or reads (its first report without Queued).
		st := messages.StateCheckingFiles
		if m.Queued {
			st = messages.StateQueuedForChecking
		}
		a.change(ctx, event{kind: evCheckState, state: st})
	case *messages.DiskCheckReply:
		if m.Gen != a.resume.checkGen {
			return
		}
		a.handleCheckDone(ctx, m)
	default:
		a.common(ctx)
	}
}

// activeState: downloading or seeding, with peers.
func (a *Actor) activeState(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *messages.PeerConnected:
		a.handlePeerConnected(ctx, m)
	case *messages.PeerBitfield:
		a.handlePeerBitfield(ctx, m)
	case *messages.PeerHave:
		a.handlePeerHave(ctx, m)
	case *messages.PeerInterest:
		a.handlePeerInterest(ctx, m)
	case *messages.RequestBlocks:
		a.handleRequestBlocks(ctx, m)
	case *messages.BlocksReceived:
		a.handleBlocksReceived(ctx, m)
	case *messages.BlocksCancelled:
		a.handleBlocksCancelled(ctx, m)
	case *messages.PieceHashed:
		a.handlePieceHashed(ctx, m)
	case *messages.PieceRead:
		sm := seedingOf(a)
		if sm.suggest == nil {
			sm.suggest = &suggestions{}
		}
		sm.suggest.handlePieceRead(ctx, a, m) // handle_suggest.go
	default:
		a.common(ctx)
	}
}

// errorState: something failed that needs the user (ClearError); status
// queries, pause, resume and removal work. Pieces whose writes were under
// way when the error came still get their bits: a verified piece on disk
// is never forgotten (the picker would wait for its hash forever after
// ClearError).
func (a *Actor) errorState(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *messages.PieceHashed:
		if a.picker != nil {
			a.handlePieceHashed(ctx, m)
			return
		}
		a.common(ctx)
	default:
		a.common(ctx)
	}
}

// common handles what every state handles the same way.
func (a *Actor) common(ctx actor.Context) {
	if (trackers{a}).trackerMessage(ctx) || (pieceAccessor{a}).message(ctx) {
		return
	}
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.handleStarted(ctx)
	case *tick:
		ticker{a}.handleTick(ctx)
	case *chokeRound:
		choking{a}.handleChokeRound(ctx)
	case *messages.PeerExtHandshake:
		pexing{a}.noteHandshake(m)
		peerList{a}.noteListenPort(m)
		voteExternalIP(ctx, a, m)
	case *messages.PeerPEX:
		pexing{a}.handlePeerPEX(ctx, m)
	case *messages.LSDPeer:
		peerList{a}.addLSDPeer(ctx, m)
	case *messages.GetPeerList:
		introspection{a}.handleGetPeerList(ctx)
	case *messages.GetDownloadQueue:
		introspection{a}.handleGetDownloadQueue(ctx)
	case *messages.GetTorrentStatus:
		statusView{a}.handleGetTorrentStatus(ctx, m)
	case *messages.GetTorrentFile:
		metaFetch{a}.handleGetTorrentFile(ctx)
	case *messages.PeerConnected:
		// In every state: a torrent added by info-hash has peers before
		// its metadata and while it checks the files.
		a.handlePeerConnected(ctx, m)
	case *messages.ConnectPeer:
		a.handleConnectPeer(ctx, m)
	case *messages.AttachPeer:
		a.handleAttachPeer(ctx, m)
	case *messages.PeerUTPFailed:
		utpPeers{a}.connectFailed(m)
	case *messages.PeerClosed:
		a.handlePeerClosed(ctx, m)
	case *messages.PeerStats:
		a.handlePeerStats(ctx, m)
	case *actor.Terminated:
		// Its slot goes back at once: a stopping torrent handles no more of
		// its own messages (peerGone) once its children are gone.
		a.peers.giveSlot(a.peers.ofPID(m.Who), a.cfg.Connections)
		// A system message: it overtakes the peer's own PeerClosed (or the
		// supervisor's ChildFailed) already queued. Forget the peer behind
		// them so their peer_error alerts are not lost.
		ctx.Send(ctx.Self(), &peerGone{who: m.Who})
	case *peerGone:
		a.handlePeerTerminated(ctx, m.who)
	case *messages.ChildFailed:
		a.handleChildFailed(ctx, m)
	case *messages.PauseTorrent:
		a.change(ctx, event{kind: evPause, on: m.Graceful, canWait: a.picker != nil, now: time.Now()})
	case *messages.ResumeTorrent:
		a.change(ctx, event{kind: evResume})
	case *messages.ForceRecheck:
		seedMode{a}.leave() // the recheck trusts nothing
		a.change(ctx, event{kind: evRecheck})
	case *messages.VerifyPiece:
		seedMode{a}.handleVerifyPiece(ctx, m) // seed_mode.go
	case *messages.DiskVerifyPieceReply:
		seedMode{a}.handleVerified(ctx, m)
	case *messages.SaveResumeData:
		resumeSaver{a}.handleSaveResumeData(ctx, m)
	case *messages.SetFilePriorities:
		priorities{a}.handleSetFilePriorities(ctx, m)
	case *messages.SetPiecePriorities:
		priorities{a}.handleSetPiecePriorities(ctx, m)
	case *messages.GetPriorities:
		priorities{a}.handleGetPriorities(ctx)
	case *messages.FlushCache:
		a.handleFlushCache(ctx)
	case *messages.DiskReleaseFilesReply:
		if m.Err != nil {
			a.post(ctx, &messages.FileErrorAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Operation: "release", Error: m.Err})
		}
	case *messages.DiskSetFilePrioritiesReply:
		priorities{a}.handleFilePrioritiesSet(ctx, m)
	case *messages.ClearError:
		diskErrors{a}.handleClearError(ctx)
	case *messages.SetUploadMode:
		diskErrors{a}.handleSetUploadMode(ctx, m)
	case *messages.SetSuperSeeding:
		superSeeder{a}.handleSet(ctx, m) // super_seed.go
	case *messages.SetShareMode:
		sharing{a}.handleSetShareMode(ctx, m) // share_mode.go
	case *messages.DiskClearCacheReply:
		diskErrors{a}.handleCacheCleared(m)
	case *messages.MoveStorage:
		storageOps{a}.handleMoveStorage(ctx, m)
	case *messages.DiskMoveStorageReply:
		storageOps{a}.handleMoveStorageReply(ctx, m)
	case *messages.RenameFile:
		storageOps{a}.handleRenameFile(ctx, m)
	case *messages.DiskRenameFileReply:
		storageOps{a}.handleRenameFileReply(ctx, m)
	case *messages.RemoveTorrent:
		a.handleRemove(ctx, m)
	case *messages.SetTorrentLimit:
		a.handleSetTorrentLimit(ctx, m)
	case *messages.GetTorrentLimits:
		l := a.cfg.Limits
		ctx.Respond(&l)
	case *messages.SetAutoManaged:
		a.change(ctx, event{kind: evAutoManaged, on: m.On})
	case *messages.QueuePositionChanged:
		a.queuePos = m.Pos
	case *messages.SessionPausedChanged:
		a.change(ctx, event{kind: evSessionPaused, on: m.Paused})
	case *messages.SettingsChanged:
		a.handleSettingsChanged(ctx, m)
	case *messages.TurnOverPeers:
		displacing{a}.turnOver(ctx, m) // turnover.go
	case *messages.FiltersChanged:
		filters{a}.handleFiltersChanged(ctx, m)
	case *messages.MessageFailed:
		a.handleMessageFailed(ctx, m)
	case *messages.PieceHashed:
		// A file error reported outside the active state (e.g. a check,
		// or a write that failed before the error state).
		if m.Err != nil {
			a.postFileError(ctx, m)
			if m.Piece >= 0 && a.picker != nil {
				a.picker.PieceFailed(m.Piece)
			}
		}
	case *messages.RequestBlocks:
		a.assign(ctx, m.Key, nil)
	case *messages.DiskReadReply:
		pieceAccessor{a}.handleDiskReadReply(ctx, m)
	case *actor.Stopping:
		pieceAccessor{a}.releaseWaiters(ctx)
		a.handleStopping()
	case *actor.Stopped:
		a.peers.giveAllSlots(a.cfg.Connections)
	}
}

// post hands an alert to the alert actor.
func (a *Actor) post(ctx actor.Context, al messages.Alert) {
	gauges{a}.syncGauge()
	ctx.Send(a.cfg.Alerts, &messages.PostAlert{Alert: al})
}
