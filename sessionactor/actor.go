// Package sessionactor is the session actor: the torrent registry, the
// listen sockets and handshake routing, session-wide counters, and the
// children every session has (alerts, disk, torrents). The public Session
// is a request/response facade over it.
package sessionactor

import (
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/diskactor"
	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/actorrent/actorrent/torrentactor"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// Config sets up a session actor.
type Config struct {
	// ListenInterfaces are host:port pairs (listen_interfaces); port 0
	// picks a free port.
	ListenInterfaces []string
	PeerID           [20]byte
	Alerts           AlertConfig
	Disk             diskactor.Config
	// MaxQueuedDiskBytes is each torrent's write credit.
	MaxQueuedDiskBytes int64
	// ConnectionsLimit bounds the peer connections of the whole session,
	// all torrents together (connections_limit); 0: no limit.
	ConnectionsLimit int
	// ConnectionSpeed and PeerList: each torrent's peer list
	// (connection_speed, max_peerlist_size, max_failcount,
	// min_reconnect_time).
	ConnectionSpeed int
	PeerList        peerlist.Config
	// OptimisticDiskRetry is the upload-mode retry after a full disk.
	OptimisticDiskRetry time.Duration
	Log                 *zap.Logger
	// Trackers configure the tracker clients and announces.
	Trackers TrackerConfig
	// TorrentProps, when set, replaces torrentactor.New for every torrent:
	// a test-only hook to wrap a torrent's props.
	TorrentProps func(torrentactor.Config) *actor.Props
	// Supervision is the session's supervision: strategies, fault plan,
	// counters (nil: the default strategies, no faults).
	Supervision *supervisor.Supervision
}

// Actor is the session actor.
type Actor struct {
	cfg       Config
	log       *zap.Logger
	alerts    *actor.PID
	disk      *actor.PID
	listeners []*actor.PID
	addrs     []string

	torrents map[messages.InfoHash]*entry
	order    []messages.InfoHash
	byPID    map[string]messages.InfoHash
	stopping map[string]bool // torrents being removed (PID ids)

	// conns are the connection slots every torrent takes from.
	conns   *actors.Slots
	stats   sessionStats
	closing bool
	// trackerClients are the session's own clients (nil when injected).
	trackerClients *torrentactor.Clients
	closer         *actor.PID
}

type entry struct {
	pid  *actor.PID
	last messages.TorrentStatsUpdate
}

// New returns the session actor's props. The session is supervised by a
// guardian with supervisor.KindSession's strategy (resumed, its state and
// so every handle kept); its children by their kinds' (HandleFailure).
func New(cfg Config) *actor.Props {
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Disk.Log == nil {
		cfg.Disk.Log = cfg.Log
	}
	cfg.Disk.Supervision = cfg.Supervision
	props := actor.PropsFromProducer(func() actor.Actor {
		return &Actor{
			cfg:      cfg,
			log:      cfg.Log,
			torrents: map[messages.InfoHash]*entry{},
			conns:    actors.NewSlots(cfg.ConnectionsLimit),
			byPID:    map[string]messages.InfoHash{},
			stopping: map[string]bool{},
		}
	}, actor.WithGuardian(cfg.Supervision.Strategy(supervisor.KindSession)))
	return cfg.Supervision.Configure(supervisor.KindSession, props)
}

// Receive dispatches on the message type.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.handleStarted(ctx)
	case *messages.AddTorrent:
		a.handleAddTorrent(ctx, m)
	case *messages.FindTorrent:
		a.handleFindTorrent(ctx, m)
	case *messages.GetTorrents:
		ctx.Respond(&messages.GetTorrentsReply{InfoHashes: append([]messages.InfoHash(nil), a.order...)})
	case *messages.RemoveTorrentRequest:
		a.handleRemoveTorrent(ctx, m)
	case *messages.ToTorrent:
		a.handleToTorrent(ctx, m)
	case *messages.IncomingConnection:
		a.handleIncoming(ctx, m)
	case *messages.TorrentStatsUpdate:
		a.handleStatsUpdate(m)
	case *messages.GetSessionStatus:
		ctx.Respond(a.sessionStatus())
	case *messages.ListenAddrs:
		ctx.Respond(&messages.ListenAddrsReply{Addrs: append([]string(nil), a.addrs...)})
	case *messages.PopAlerts, *messages.CountAlerts, *messages.SubscribeAlerts, *messages.UnsubscribeAlerts,
		*messages.SetAlertMask, *messages.SetAlertQueueSize:
		ctx.Forward(a.alerts)
	case *messages.DiskStatus:
		ctx.Forward(a.disk)
	case *messages.DiskCacheInfo:
		a.handleCacheInfo(ctx, m)
	case *messages.TorrentStopped:
		// the torrent stops itself; Terminated does the bookkeeping
	case *messages.MessageFailed:
		a.handleMessageFailed(ctx, m)
	case *actor.Terminated:
		a.handleTerminated(ctx, m)
	case *messages.CloseSession:
		a.handleClose(ctx, ctx.Sender())
	case *actor.Stopped:
		a.stopTrackers()
	}
}
