package sessionactor

import (
	"fmt"

	"github.com/actorrent/actorrent/diskactor"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/actorrent/actorrent/torrentactor"
	"github.com/asynkron/protoactor-go/actor"
)

func (a *Actor) handleStarted(ctx actor.Context) {
	sup := a.cfg.Supervision
	a.alerts = ctx.Spawn(sup.Configure(supervisor.KindAlert, NewAlertActor(AlertConfig{
		Mask:      messages.AlertCategory(a.set.Int(settings.AlertMask)),
		QueueSize: a.set.Int(settings.AlertQueueSize),
		Notify:    a.cfg.Notify,
	})))
	sup.BindAlerts(ctx.ActorSystem().Root, a.alerts)
	a.disk = ctx.Spawn(sup.Configure(supervisor.KindDisk, diskactor.New(diskactor.Config{
		Settings: a.set, Log: a.log, BeforeJob: a.cfg.DiskBeforeJob, Supervision: sup,
	})))
	a.startBandwidth()
	a.listen(ctx)
	lsdControl{a}.start(ctx)
	portmapControl{a}.start(ctx)
	a.startTrackers(ctx)
	turningOver{a}.arm(ctx, firstTurnover)
	mixedMode{a}.start(ctx)
	dhtControl{a}.init(ctx)
}

// handleAddTorrent adds a torrent (or finds the one already there) and
// posts add_torrent, plus torrent_added for a new one.
func (a *Actor) handleAddTorrent(ctx actor.Context, m *messages.AddTorrent) {
	reply := func(ih messages.InfoHash, err error) {
		a.post(ctx, &messages.AddTorrentAlert{TorrentAlertHeader: messages.TorrentHeader(ih), Error: err, Params: m.UserData})
		if !m.Async {
			ctx.Respond(&messages.AddTorrentReply{InfoHash: ih, Err: err})
		}
	}
	if a.closing {
		reply(messages.InfoHash{}, messages.ErrSessionClosing)
		return
	}
	ih := m.InfoHash
	if m.Info != nil {
		ih = m.Info.InfoHash
	} else if ih == (messages.InfoHash{}) {
		reply(messages.InfoHash{}, fmt.Errorf("%w: no torrent info nor info-hash", messages.ErrInvalidParams))
		return
	}
	if (readding{a}).hold(ctx, ih, m) {
		return // answered once the removed one ended
	}
	if _, ok := a.torrents[ih]; ok {
		if m.Flags&messages.FlagDuplicateIsError != 0 {
			reply(ih, messages.ErrDuplicateTorrent)
			return
		}
		reply(ih, nil)
		return
	}
	tc := torrentactor.Config{
		Shared:         a.torrentShared(ctx.Self()),
		Meta:           m.Info,
		InfoHash:       ih,
		Name:           m.Name,
		SavePath:       m.SavePath,
		Flags:          m.Flags,
		ResumeData:     m.ResumeData,
		StorageMode:    m.StorageMode,
		NewStorage:     m.NewStorage,
		FilePriorities: m.FilePriorities,
		Limits:         m.Limits,
		Trackers:       torrentactor.TrackerConfig{Tiers: m.Trackers, TrackerID: m.TrackerID},
	}
	tc.Prealloc, _ = m.Prealloc.(*torrentactor.Prealloc)
	// Placed in the queue before it is spawned, it starts knowing its
	// position (no QueuePositionChanged for a new torrent).
	enterQueue(a.q, ih, m)
	tc.Queued, tc.QueuePos = true, a.q.Position(ih)
	newProps := torrentactor.New
	if a.cfg.TorrentProps != nil {
		newProps = a.cfg.TorrentProps
	}
	props := newProps(tc).Configure(actor.WithDispatcher(a.pool))
	pid := ctx.Spawn(a.cfg.Supervision.Configure(supervisor.KindTorrent, props))
	a.torrents[ih] = &entry{pid: pid, qpos: tc.QueuePos, private: m.Info != nil && m.Info.Info.Private}
	a.order = append(a.order, ih)
	a.byPID[pid.Id] = ih
	reply(ih, nil)
	if messages.AlertCategory(a.set.Int(settings.AlertMask))&messages.CategoryStatus != 0 { // none built for nothing
		a.post(ctx, &messages.TorrentAddedAlert{TorrentAlertHeader: messages.TorrentHeader(ih)})
	}
	a.queueAdd(ctx, ih)
	// A magnet's x.pe peers, through the same path as ConnectPeer.
	for _, addr := range m.Peers {
		ctx.Send(pid, &messages.ConnectPeer{Addr: addr})
	}
}

func (a *Actor) handleFindTorrent(ctx actor.Context, m *messages.FindTorrent) {
	var pid *actor.PID
	if e := a.torrents[m.InfoHash]; e != nil {
		pid = e.pid
	}
	ctx.Respond(&messages.FindTorrentReply{PID: pid})
}

// handleToTorrent forwards a facade request to its torrent, keeping the
// caller as sender so the torrent answers it directly.
func (a *Actor) handleToTorrent(ctx actor.Context, m *messages.ToTorrent) {
	e := a.torrents[m.InfoHash]
	if e == nil {
		ctx.Respond(&messages.TorrentNotFound{InfoHash: m.InfoHash})
		return
	}
	if a.queueCommand(ctx, m.InfoHash, m.Msg) {
		return
	}
	if m.NeedsReply {
		ctx.RequestWithCustomSender(e.pid, m.Msg, ctx.Sender())
		return
	}
	ctx.Send(e.pid, m.Msg)
	ctx.Respond(&messages.Ack{})
}

// handleRemoveTorrent takes the torrent out of the registry at once (its
// handle becomes invalid) and lets it stop: it closes or deletes its files
// behind the disk's fence and posts torrent_deleted itself.
func (a *Actor) handleRemoveTorrent(ctx actor.Context, m *messages.RemoveTorrentRequest) {
	e := a.torrents[m.InfoHash]
	if e == nil {
		ctx.Respond(&messages.RemoveTorrentReply{Err: messages.ErrTorrentNotFound})
		return
	}
	a.forget(m.InfoHash)
	lsdControl{a}.removed(ctx, m.InfoHash)
	dhtControl{a}.forgetTorrent(ctx, m.InfoHash)
	a.queueChanged(ctx)
	a.stopping[e.pid.Id] = true
	readding{a}.removing(m.InfoHash, e.pid.Id)
	ctx.Send(e.pid, &messages.RemoveTorrent{DeleteFiles: m.DeleteFiles})
	a.post(ctx, &messages.TorrentRemovedAlert{TorrentAlertHeader: messages.TorrentHeader(m.InfoHash)})
	ctx.Respond(&messages.RemoveTorrentReply{})
}

func (a *Actor) forget(ih messages.InfoHash) {
	e := a.torrents[ih]
	if e == nil {
		return
	}
	delete(a.torrents, ih)
	delete(a.byPID, e.pid.Id)
	a.q.Remove(ih)
	for i, x := range a.order {
		if x == ih {
			a.order = append(a.order[:i], a.order[i+1:]...)
			break
		}
	}
}

func (a *Actor) handleTerminated(ctx actor.Context, m *actor.Terminated) {
	if ih, ok := a.byPID[m.Who.Id]; ok {
		dhtControl{a}.forgetTorrent(ctx, ih)
		a.forget(ih) // a torrent that stopped on its own
		lsdControl{a}.removed(ctx, ih)
		a.queueChanged(ctx)
	}
	delete(a.stopping, m.Who.Id)
	readding{a}.ended(ctx, m.Who.Id)
	a.maybeFinishClose(ctx)
}
