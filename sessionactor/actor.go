// Package sessionactor is the session actor: the torrent registry, the
// listen sockets and handshake routing, session-wide counters, and the
// children every session has (alerts, disk, torrents). The public Session
// is a request/response facade over it.
package sessionactor

import (
	"github.com/actorrent/actorrent/torrentactor/announcer"
	"net/netip"
	"runtime"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/ipvoter"
	"github.com/actorrent/actorrent/internal/queue"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/portmapactor"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/actorrent/actorrent/torrentactor"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// Config sets up a session actor.
type Config struct {
	// Settings are the session's settings (nil: the defaults). The actor
	// hands the snapshot to its children and replaces it on
	// ApplySettings.
	Settings *settings.Snapshot
	PeerID   [20]byte
	// Notify gets a non-blocking signal whenever the alert queue goes
	// from empty to non-empty; the facade's WaitForAlert selects on it.
	Notify chan<- struct{}
	Log    *zap.Logger
	// TrackerClient, when set, replaces the session's own tracker clients
	// (tests).
	TrackerClient announcer.TrackerClient
	// DiskBeforeJob is diskactor.Config.BeforeJob (tests).
	DiskBeforeJob func(job any)
	// TorrentProps, when set, replaces torrentactor.New for every torrent:
	// a test-only hook to wrap a torrent's props.
	TorrentProps func(torrentactor.Config) *actor.Props
	// Supervision is the session's supervision: strategies, fault plan,
	// counters (nil: the default strategies, no faults).
	Supervision *supervisor.Supervision
	// LSDGroup is where local service discovery announces (zero: BEP
	// 14's group; tests give another port).
	LSDGroup netip.AddrPort
	// DHTQueryResendDelay, when set, is the DHT's wait before it sends a
	// query again (tests on loopback; the library's default is 2 s).
	DHTQueryResendDelay time.Duration
	// PortmapDiscoverer finds the gateways for port mapping (nil: the
	// network's, by SSDP and the default route; tests give fakes).
	PortmapDiscoverer portmapactor.Discoverer
}

// Actor is the session actor.
type Actor struct {
	// pool runs the torrents' mailboxes (actors.WorkerPool).
	pool *actors.WorkerPool
	// shared is the torrents' common configuration (torrent_shared.go).
	shared    *torrentactor.Shared
	sharedKey sharedKey
	// voter decides our external address from peers' yourip
	// (handle_external_ip.go).
	voter     ipvoter.Voter
	cfg       Config
	set       *settings.Snapshot // the current settings (cfg.Settings at first)
	log       *zap.Logger
	alerts    *actor.PID
	disk      *actor.PID
	listeners []*actor.PID
	addrs     []string
	lsd       *actor.PID // the LSD actor while it runs (lsd.go)
	portmap   *actor.PID // the port mapper until the session closes (portmap.go)
	// utp are the uTP sockets beside the TCP listeners (utp_sockets.go);
	// mixed is mixed_mode_algorithm's state (mixed_mode.go).
	utp   *utpSockets
	mixed mixedState

	torrents map[messages.InfoHash]*entry
	order    []messages.InfoHash
	byPID    map[string]messages.InfoHash
	stopping map[string]bool // torrents being removed (PID ids)
	// removals are the torrents being removed by info-hash, with the
	// adds of them held until they end (readd.go); made with the first.
	removals map[messages.InfoHash]*removal

	// conns are the connection slots every torrent takes from; credit
	// the disk write credit (max_queued_disk_bytes) and connectBudget
	// the connection attempts a second (connection_speed), all of them
	// session-wide as libtorrent means them.
	conns         *actors.Slots
	uploadSlots   *actors.UploadSlots // unchoke_slots_limit, shared by the torrents
	credit        *actors.Credit
	connectBudget *actors.Budget
	stats         sessionStats
	closing       bool
	// q is the auto-manage queue, qtimer its wake-up (handle_queue.go).
	q      *queue.Queue[messages.InfoHash]
	qtimer queueTimer
	turn   *time.Timer // the next peer turnover round (turnover.go)
	trk    trackerSetup
	closer *actor.PID
	// filters are the IP and port filters (handle_ipfilter.go).
	filters filters
	// bw is the rate-limit gate with the peer classes (handle_classes.go).
	bw *actors.Bandwidth
	// counters is the stats counter block (handle_stats.go); made once in
	// New, so that it outlives a restart of this actor.
	counters *stats.Counters
	// updates and incoming are for bulk status (handle_status.go) and
	// session_status (stats.go).
	updates  statusUpdates
	incoming bool
	// dht is the DHT's state and actor (handle_dht.go).
	dht dhtSession
}

// trackerSetup is what every torrent's announcer shares: the clients (own
// is nil when Config.TrackerClient was injected), our port, addresses
// and announce key.
type trackerSetup struct {
	client announcer.TrackerClient
	own    *trackerClients
	port   int
	local  []netip.Addr
	key    uint32
}

type entry struct {
	pid *actor.PID
	// last is the torrent's latest report, nil before its first (an idle
	// torrent may never send one): a pointer, not 200 bytes a torrent.
	last *messages.TorrentStatsUpdate
	// what the queue was last told of it, and its queue position
	qstate   queue.State
	qerror   bool
	observed bool
	private  bool // a private torrent: not on LSD
	qpos     int
}

// New returns the session actor's props. The session is supervised by a
// guardian with supervisor.KindSession's strategy (resumed, its state and
// so every handle kept); its children by their kinds' (HandleFailure).
// torrentWorkers is how many goroutines the torrents' pool keeps: a few
// per CPU (the torrents' handlers never block; more only contend;
// measured on GetTorrentStatus of 10k: 4, 16 and 64 alike, 256 slower).
func torrentWorkers() int { return 4 * runtime.GOMAXPROCS(0) }

// torrentQueue is how many woken torrents wait for a worker before one
// gets a goroutine of its own.
const torrentQueue = 1 << 14

// mailboxThroughput is protoactor's default dispatcher's (messages a
// mailbox handles before it lets its goroutine go).
const mailboxThroughput = 300

func New(cfg Config) *actor.Props {
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Settings == nil {
		cfg.Settings = settings.Default()
	}
	counters := stats.NewCounters()
	activity := actors.NewActivity() // outlives a restart, as counters
	// One pool for the session's torrents, made with the props so that a
	// resumed session actor keeps it; closed when the session stops.
	pool := actors.NewWorkerPool(torrentWorkers(), torrentQueue, mailboxThroughput)
	props := actor.PropsFromProducer(func() actor.Actor {
		return &Actor{
			counters:      counters,
			pool:          pool,
			cfg:           cfg,
			log:           cfg.Log,
			torrents:      map[messages.InfoHash]*entry{},
			conns:         actors.NewSlots(cfg.Settings.Int(settings.ConnectionsLimit)),
			uploadSlots:   actors.NewUploadSlots(cfg.Settings.Int(settings.UnchokeSlotsLimit)),
			set:           cfg.Settings,
			q:             queue.New[messages.InfoHash](queueSettings(cfg.Settings)),
			credit:        actors.NewCredit(int64(cfg.Settings.Int(settings.MaxQueuedDiskBytes))),
			connectBudget: actors.NewBudget(cfg.Settings.Int(settings.ConnectionSpeed)),
			byPID:         map[string]messages.InfoHash{},
			stopping:      map[string]bool{},
			utp:           &utpSockets{},
			mixed:         mixedState{activity: activity},
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
		a.incoming = true
		a.handleIncoming(ctx, m)
	case *messages.TorrentStatsUpdate:
		a.handleStatsUpdate(ctx, m)
	case *messages.GetSessionStatus:
		ctx.Respond(a.sessionStatus())
	case *messages.GetSessionStats:
		a.handleGetSessionStats(ctx)
	case *messages.PostSessionStats:
		a.handlePostSessionStats(ctx)
	case *messages.GetTorrentStatuses:
		a.handleGetTorrentStatuses(ctx, m)
	case *messages.TorrentStatusChanged:
		a.handleStatusChanged(m)
	case *messages.ExternalIPVote:
		a.handleExternalIPVote(ctx, m)
	case *messages.PostTorrentUpdates:
		a.handlePostTorrentUpdates(ctx, m)
	case *messages.LSDReady, *messages.LSDPeer:
		lsdControl{a}.message(ctx, m)
	case *messages.AddPortMapping, *messages.DeletePortMapping:
		portmapControl{a}.request(ctx, m)
	case *messages.ListenAddrs:
		ctx.Respond(&messages.ListenAddrsReply{Addrs: append([]string(nil), a.addrs...)})
	case *messages.PopAlerts, *messages.CountAlerts, *messages.SubscribeAlerts, *messages.UnsubscribeAlerts,
		*messages.SetAlertMask, *messages.SetAlertQueueSize:
		ctx.Forward(a.alerts)
	case *messages.TorrentStateUpdate:
		a.handleStateUpdate(ctx, m)
	case *queueWake:
		a.handleQueueWake(ctx, m)
	case *turnoverWake:
		turningOver{a}.round(ctx)
	case *mixedModeTick:
		mixedMode{a}.tick()
	case *messages.PauseSession:
		a.handlePauseSession(ctx, true)
	case *messages.ResumeSession:
		a.handlePauseSession(ctx, false)
	case *messages.IsSessionPaused:
		ctx.Respond(&messages.IsSessionPausedReply{Paused: a.q.SessionPaused()})
	case *messages.ApplySettings:
		a.handleApplySettings(ctx, m)
	case *messages.GetSettings:
		ctx.Respond(&messages.GetSettingsReply{Settings: a.set})
	case *messages.SetIPFilter:
		a.handleSetIPFilter(ctx, m)
	case *messages.GetIPFilter:
		ctx.Respond(&messages.GetIPFilterReply{Filter: a.filters.ip})
	case *messages.SetPortFilter:
		a.handleSetPortFilter(ctx, m)
	case *messages.GetPortFilter:
		ctx.Respond(&messages.GetPortFilterReply{Filter: a.filters.port})
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
	case *messages.StartDHT, *messages.StopDHT, *messages.IsDHTRunning, *messages.AddDHTNode,
		*messages.SetDHTSettings, *messages.GetDHTSettings, *messages.GetDHTState, *messages.LoadDHTState,
		*messages.PostDHTStats, *messages.ForceDHTAnnounce, *messages.DHTTorrentWanted,
		*messages.DHTGetItem, *messages.DHTPutItem, *messages.DHTNodeFromPeer:
		dhtControl{a}.receive(ctx, m)
	case *messages.CreatePeerClass, *messages.DeletePeerClass, *messages.GetPeerClass, *messages.SetPeerClass,
		*messages.SetPeerClassFilter, *messages.GetPeerClassFilter, *messages.SetPeerClassTypeFilter, *messages.GetPeerClassTypeFilter:
		a.handlePeerClass(ctx, m)
	case *actor.Stopped:
		a.pool.Close()
		a.stopTrackers()
		a.stopQueueTimer()
		turningOver{a}.stop()
		a.stopBandwidth()
		mixedMode{a}.stop()
		a.utp.closeAll()
	}
}
