package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// statusView answers status queries: the TorrentStatus snapshot and the state updates subscribers
// get. A view of the actor, not a part of it: the state stays in the actor (1000 of its size
// class's 1024 bytes), the type names the concern's methods.
type statusView struct{ *Actor }

// statusQuery is what torrent_status shows that no other part of the
// torrent keeps, and the state-update subscription (libtorrent's
// torrent::state_updated): a subscribed torrent that changed tells the
// session once, and again only after a state_update carried its status.
// An idle torrent receives no message, so it never reports.
type statusQuery struct {
	subscribed bool
	// queued: the session has a TorrentStatusChanged of ours not yet
	// answered by a GetTorrentStatus ForUpdate.
	queued bool
	// lastUpload: payload last went to a peer; lastDownload: a piece last
	// passed; lastScrape: a tracker last told the swarm's counts;
	// seenComplete: a connected peer was last seen as a seed. Zero: never.
	lastUpload, lastDownload, lastScrape, seenComplete time.Time
	hasIncoming                                        bool
}

// handleGetTorrentStatus answers a status query with the fields flags ask.
func (a statusView) handleGetTorrentStatus(ctx actor.Context, m *messages.GetTorrentStatus) {
	if m.ForUpdate && a.sq != nil {
		a.sq.queued = false
	}
	if m.Claims != nil { // a bulk status's slot, unless the caller took it back
		if m.Claims.Write(m.Index, func() {
			a.fillStatus(m.Into, m.Flags, time.Now())
			m.Into.SeedRank = m.SeedRank
		}) {
			ctx.Respond(&messages.StatusFilled{Index: m.Index})
		}
		return
	}
	s := a.status(m.Flags, time.Now())
	s.SeedRank = m.SeedRank
	ctx.Respond(s)
}

// torrentFile is the metadata; nil while a magnet link fetches it.
func (a statusView) torrentFile() *metainfo.MetaInfo {
	if a.meta.fetching() {
		return nil
	}
	return a.cfg.Meta
}

// query is the status queries' state, made on first use (a torrent that
// never had traffic nor a subscriber has none).
func (a statusView) query() *statusQuery {
	if a.sq == nil {
		a.sq = &statusQuery{}
	}
	return a.sq
}

// noteStatusChange runs after every message: the messages that change
// what torrent_status shows (the places libtorrent calls state_updated,
// and transfer) report a change, and the times only status shows are
// kept here.
func (a statusView) noteStatusChange(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		if a.cfg.Flags&messages.FlagUpdateSubscribe != 0 {
			a.query().subscribed = true
		}
	case *messages.PeerStats:
		if m.PayloadUpload > 0 {
			a.query().lastUpload = time.Now()
		}
		if m.IsSeed {
			a.query().seenComplete = time.Now()
		}
		if m.Download == 0 && m.Upload == 0 {
			return // an idle peer's report changes nothing shown
		}
	case *messages.PieceHashed:
		if m.OK && m.Err == nil {
			a.query().lastDownload = time.Now()
		}
	case *messages.AttachPeer:
		a.query().hasIncoming = true
	case *messages.TrackerSummary:
		if m.NumComplete >= 0 || m.NumIncomplete >= 0 {
			a.query().lastScrape = time.Now()
		}
	case *messages.SetUpdateSubscribe:
		// a torrent subscribing reports at once: the next update shows it
		a.query().subscribed = m.On
	case *messages.PeerConnected, *messages.PeerClosed, *peerGone, *messages.ConnectPeer,
		*messages.PauseTorrent, *messages.ResumeTorrent, *messages.SessionPausedChanged,
		*messages.ForceRecheck, *messages.DiskCheckProgress, *messages.DiskCheckReply,
		*messages.ClearError, *messages.SetUploadMode, *messages.SetShareMode, *messages.ChildFailed,
		*messages.MoveStorage, *messages.DiskMoveStorageReply,
		*messages.SetTorrentLimit, *messages.SetAutoManaged, *messages.QueuePositionChanged,
		*messages.SetFilePriorities, *messages.SetPiecePriorities, *messages.PeerMetadata,
		*messages.SaveResumeData:
	case *messages.SetSuperSeeding:
	default:
		return
	}
	a.stateUpdated(ctx)
}

// stateUpdated tells the session this subscribed torrent changed, once
// until its status goes out in a state_update.
func (a statusView) stateUpdated(ctx actor.Context) {
	if a.sq == nil || !a.sq.subscribed || a.sq.queued || a.life.removing {
		return
	}
	a.sq.queued = true
	ctx.Send(a.cfg.Session, &messages.TorrentStatusChanged{InfoHash: a.ih})
}

// status builds the torrent_status snapshot; the costly fields only when
// flags ask for them.
func (a statusView) status(flags messages.StatusFlags, now time.Time) *messages.TorrentStatus {
	s := new(messages.TorrentStatus)
	a.fillStatus(s, flags, now)
	return s
}

// fillStatus writes the torrent_status snapshot into s.
func (a statusView) fillStatus(s *messages.TorrentStatus, flags messages.StatusFlags, now time.Time) {
	active, finished, seeding := a.clock.times(now)
	var sq statusQuery // what status shows of the queries' state (none yet: zero)
	if a.sq != nil {
		sq = *a.sq
	}
	*s = messages.TorrentStatus{
		InfoHash:              a.ih,
		State:                 a.life.state,
		Paused:                a.life.paused,
		AutoManaged:           a.life.autoManaged,
		QueuePosition:         a.queuePos,
		NumPieces:             a.have.Count(),
		TotalDownload:         a.counters.download,
		TotalUpload:           a.counters.upload,
		TotalPayloadDownload:  a.counters.payloadDownload,
		TotalPayloadUpload:    a.counters.payloadUpload,
		TotalFailedBytes:      a.counters.failed,
		TotalRedundantBytes:   a.counters.redundant,
		IsFinished:            a.life.finished,
		IsSeeding:             a.life.finished && a.have.All(),
		SeedMode:              seedMode{a.Actor}.on(),
		SequentialDownload:    pieceAccessor{a.Actor}.sequential(),
		AddedTime:             a.added,
		CompletedTime:         a.completed,
		BlockSize:             piecepicker.BlockSize,
		AllTimeUpload:         a.resume.prevUpload + a.counters.upload,
		AllTimeDownload:       a.resume.prevDownload + a.counters.download,
		ActiveTime:            active,
		FinishedTime:          finished,
		SeedingTime:           seeding,
		NeedSaveResume:        a.resume.needSave,
		UploadMode:            a.diskErr.uploadMode,
		SuperSeeding:          superSeeder{a.Actor}.on(),
		ShareMode:             sharing{a.Actor}.on(),
		CurrentTracker:        a.trk.summary.CurrentTracker,
		AnnounceInterval:      a.trk.summary.Interval,
		NumComplete:           a.trk.summary.NumComplete,
		NumIncomplete:         a.trk.summary.NumIncomplete,
		ListPeers:             a.plist.Len(),
		ListSeeds:             a.plist.Seeds(),
		ConnectCandidates:     a.plist.ConnectCandidates(now, a.life.finished),
		HasMetadata:           !a.meta.fetching(),
		StorageMode:           a.cfg.StorageMode,
		UploadsLimit:          orNone(a.cfg.Limits.MaxUploads),
		ConnectionsLimit:      orNone(a.cfg.Limits.MaxConnections),
		TimeSinceUpload:       since(now, sq.lastUpload),
		TimeSinceDownload:     since(now, sq.lastDownload),
		LastScrape:            since(now, sq.lastScrape),
		IPFilterApplies:       a.flt.apply,
		HasIncoming:           sq.hasIncoming,
		MovingStorage:         len(a.moving) > 0,
		DistributedFullCopies: -1, DistributedFraction: -1, DistributedCopies: -1,
	}
	a.fillCostly(s, flags, now)
	if t := a.trk.summary.NextAnnounce; !t.IsZero() && a.trk.announcing {
		s.NextAnnounce = max(t.Sub(now), 0)
	}
	if a.life.err != nil {
		s.Error = a.life.err.Error()
	}
	s.TotalDone = a.doneBytes()
	s.TotalWanted, s.TotalWantedDone = priorities{a.Actor}.wantedBytes()
	if s.TotalWanted > 0 {
		s.Progress = float64(s.TotalWantedDone) / float64(s.TotalWanted)
	}
	if a.life.state == messages.StateCheckingFiles && a.checking.total > 0 {
		s.CheckingProgress = float64(a.checking.done) / float64(a.checking.total)
		s.Progress = s.CheckingProgress
	}
	for p := range a.peers.all() {
		if p.closed || p.leaving {
			continue
		}
		s.NumConnections++
		if !p.connected {
			continue
		}
		s.NumPeers++
		if p.stats.IsSeed {
			s.NumSeeds++
		}
		if p.unchoked {
			s.NumUploads++
		}
		s.DownloadRate += p.stats.DownloadRate
		s.UploadRate += p.stats.UploadRate
		s.DownloadPayloadRate += p.stats.PayloadDownloadRate
		s.UploadPayloadRate += p.stats.PayloadUploadRate
	}
	s.ProgressPPM = int(s.Progress * 1e6)
}

// fillCostly fills the fields only flags ask for.
func (a statusView) fillCostly(s *messages.TorrentStatus, flags messages.StatusFlags, now time.Time) {
	if flags&messages.QueryName != 0 {
		s.Name = a.info.Name
	}
	if flags&messages.QuerySavePath != 0 {
		s.SavePath = a.cfg.SavePath
	}
	if flags&messages.QueryTorrentFile != 0 {
		s.TorrentFile = a.torrentFile()
	}
	if flags&messages.QueryPieces != 0 {
		s.Pieces = a.have.Clone()
		s.SparseRegions = sparseRegions(a.have)
	}
	if flags&messages.QueryVerifiedPieces != 0 {
		s.VerifiedPieces = seedMode{a.Actor}.verifiedField() // seed_mode.go
	}
	if flags&messages.QueryLastSeenComplete != 0 {
		if a.sq != nil {
			s.LastSeenComplete = a.sq.seenComplete
		}
		if a.have.Len() > 0 && a.have.All() {
			s.LastSeenComplete = now // we are a complete copy
		}
	}
	if flags&messages.QueryDistributedCopies != 0 && a.picker != nil {
		s.DistributedFullCopies, s.DistributedFraction = a.picker.DistributedCopies()
		s.DistributedCopies = float32(s.DistributedFullCopies) + float32(s.DistributedFraction)/1000
	}
}

// doneBytes is total_done: the bytes of the pieces we have.
func (a statusView) doneBytes() int64 {
	n := a.have.Count()
	if n == 0 {
		return 0
	}
	done := int64(n) * a.info.PieceLength
	if last := a.info.NumPieces() - 1; a.have.Has(last) {
		done -= a.info.PieceLength - a.info.PieceSize(last)
	}
	return done
}

// since is now-t, or -1 when t is zero (never).
func since(now, t time.Time) time.Duration {
	if t.IsZero() {
		return -1
	}
	return max(now.Sub(t), 0)
}

// sparseRegions counts the runs of pieces missing from have (libtorrent's
// piece_picker::sparse_regions).
func sparseRegions(have bitfield.Bitfield) int {
	n, in := 0, false
	for i := range have.Len() {
		missing := !have.Has(i)
		if missing && !in {
			n++
		}
		in = missing
	}
	return n
}
