// Package torrentactor is one torrent: its state machine (checking →
// downloading → seeding, plus paused and error) as one lifecycle value, the
// piece picker, and its peer actors. It decides; peers and the disk act.
package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/peeractor"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// Config describes a torrent to run.
type Config struct {
	// Shared, when set, is the session-wide part of the configuration
	// (one value for all the torrents a session adds); Config's own
	// copies of those fields are then ignored. Without it, New takes them
	// from Config (tests, a single torrent).
	Shared *Shared
	// Meta is the torrent; nil for a torrent added by info-hash (a magnet
	// link), which fetches its metadata from peers first.
	Meta *metainfo.MetaInfo
	// InfoHash and Name are used when Meta is nil: the torrent's
	// info-hash and its name until the metadata is known.
	InfoHash messages.InfoHash
	Name     string
	SavePath string
	Flags    messages.AddTorrentFlags
	PeerID   [20]byte
	Session  *actor.PID
	Disk     *actor.PID
	Alerts   *actor.PID
	// Settings are the session's settings; the session sends new ones
	// (SettingsChanged).
	Settings *settings.Snapshot
	// Credit is the session's write credit (max_queued_disk_bytes,
	// shared by every torrent: the disk's queue is one); nil: the torrent
	// makes its own.
	Credit *actors.Credit
	// ConnectBudget is the session's connection_speed allowance; nil: the
	// torrent makes its own.
	ConnectBudget *actors.Budget
	// Connections are the session's connection slots (connections_limit,
	// shared by every torrent); nil: no session-wide limit.
	Connections *actors.Slots
	// UploadSlots are the session's unchoke_slots_limit, shared by every
	// torrent (handle_choke.go); nil: the torrent uses the whole limit.
	UploadSlots *actors.UploadSlots
	Log         *zap.Logger
	// ResumeData is libtorrent-format fast-resume data to start from
	// (AddTorrentParams.ResumeData); nil for none.
	ResumeData  []byte
	StorageMode messages.StorageMode
	NewStorage  storage.Constructor
	// FilePriorities are AddTorrentParams.FilePriorities (nil: all 1,
	// or what resume data says).
	FilePriorities []int
	// Limits are the torrent's own (max_connections, max_uploads, upload
	// and download limits).
	Limits messages.TorrentLimits
	// Trackers configure the announcer (no Client: no announcer). With
	// Shared, only its Tiers and TrackerID are the torrent's; the rest is
	// Shared.TrackerBase.
	Trackers TrackerConfig
	// IPFilter and PortFilter are the session's filters (immutable
	// snapshots; nil allows all); the session sends new ones
	// (FiltersChanged).
	IPFilter   *ipfilter.IPFilter
	PortFilter *ipfilter.PortFilter
	// PeerProps, when set, replaces the peer actor's props (tests).
	PeerProps func(peerConfig any) *actor.Props
	// Supervision supervises the peers and the announcer and injects the
	// plan's faults into them (nil: default strategies, no faults).
	Supervision *supervisor.Supervision
	// Bandwidth is the session's rate-limit gate, which the torrent's
	// peers go through (nil: no rate limits; handle_rates.go).
	Bandwidth *actors.Bandwidth
	// Counters is the session's stats counter block (nil: none); the
	// torrent's peers count on it too.
	Counters *stats.Counters
	// DialUTP connects over the session's uTP socket (nil: no uTP);
	// Activity counts the peers moving data by transport (nil: none);
	// DHTPort is the DHT node's port, for the peers' BEP 5 PORT (nil: none).
	DialUTP  peeractor.DialFunc
	Activity *actors.Activity
	DHTPort  *actors.DHTPort
	// Prealloc, when set, is the torrent's memory, allocated by the
	// goroutine that added it (prealloc.go); nil: New allocates.
	Prealloc *Prealloc
	// QueuePos is the torrent's position in the session's download queue
	// when it starts, if Queued (the session places it before spawning
	// it, which spares one message per added torrent); later positions
	// come as QueuePositionChanged.
	Queued   bool
	QueuePos int
}

// Shared is the session's part of a torrent's configuration (the fields
// of Config by the same names): every torrent of a session points at one
// value rather than carrying a copy. Measured with 100k paused torrents:
// the whole Config was 536 bytes a torrent, a tenth of its memory.
// Nothing writes it once made; the session makes a new one when a value
// changes (its settings, filters, tracker port).
type Shared struct {
	PeerID        [20]byte
	Session       *actor.PID
	Disk          *actor.PID
	Alerts        *actor.PID
	Settings      *settings.Snapshot
	Credit        *actors.Credit
	ConnectBudget *actors.Budget
	Connections   *actors.Slots
	UploadSlots   *actors.UploadSlots
	Log           *zap.Logger
	IPFilter      *ipfilter.IPFilter
	PortFilter    *ipfilter.PortFilter
	PeerProps     func(peerConfig any) *actor.Props
	Supervision   *supervisor.Supervision
	Bandwidth     *actors.Bandwidth
	Counters      *stats.Counters
	// DialUTP connects over the session's uTP socket (nil: none); the
	// torrent hands it to its peers (utp_peers.go), and Activity, the
	// count of peers moving data by transport (mixed_mode_algorithm).
	DialUTP  peeractor.DialFunc
	Activity *actors.Activity
	// DHTPort is the session's DHT node's port, read by the peers as they
	// shake hands (BEP 5's reserved bit and PORT message).
	DHTPort *actors.DHTPort
	// TrackerBase is the announcer's configuration but for a torrent's
	// tiers and tracker id (torrentConfig.trackers).
	TrackerBase TrackerConfig
}

// shared is Config's own copy of the session's part.
func (c *Config) shared() *Shared {
	s := &Shared{
		PeerID: c.PeerID, Session: c.Session, Disk: c.Disk, Alerts: c.Alerts, Settings: c.Settings,
		Credit: c.Credit, ConnectBudget: c.ConnectBudget, Connections: c.Connections, UploadSlots: c.UploadSlots,
		Log: c.Log, IPFilter: c.IPFilter, PortFilter: c.PortFilter, PeerProps: c.PeerProps,
		Supervision: c.Supervision, Bandwidth: c.Bandwidth, Counters: c.Counters, TrackerBase: c.Trackers,
		DialUTP: c.DialUTP, Activity: c.Activity, DHTPort: c.DHTPort,
	}
	s.TrackerBase.Tiers, s.TrackerBase.TrackerID = nil, ""
	return s
}

// torrentConfig is the configuration a torrent actor keeps: its own
// fields, and the session's behind one pointer.
type torrentConfig struct {
	*Shared
	Meta           *metainfo.MetaInfo
	InfoHash       messages.InfoHash
	Name           string
	SavePath       string
	Flags          messages.AddTorrentFlags
	ResumeData     []byte
	StorageMode    messages.StorageMode
	NewStorage     storage.Constructor
	FilePriorities []int
	Limits         messages.TorrentLimits
	// Tiers and TrackerID are the torrent's part of its trackers'
	// configuration (Config.Trackers).
	Tiers     [][]string
	TrackerID string
}

// trackers is the announcer's configuration for this torrent.
func (c *torrentConfig) trackers() TrackerConfig {
	t := c.TrackerBase
	t.Tiers, t.TrackerID = c.Tiers, c.TrackerID
	return t
}

// Actor is the torrent actor.
type Actor struct {
	cfg *torrentConfig // the props' own (New)
	ih  messages.InfoHash
	// registered: the disk has the torrent's storage (registerStorage);
	// here, it fills the padding after ih (the actor is 1024 bytes, the
	// top of its size class: measured, 100k paused torrents).
	registered bool
	info       *metainfo.Info
	log        *zap.Logger
	set        *settings.Snapshot
	// seeding are the seeding modes' state (seeding_modes.go): read-cache
	// suggestions, seed mode's lazy verification, share mode, super
	// seeding; nil until one is used.
	seeding *seedingModes
	credit  *actors.Credit
	budget  *actors.Budget

	// life is the state, its phase and the flags that decide whether
	// the torrent runs (lifecycle.go).
	life      lifecycle
	queuePos  int      // in the session's download queue; -1: none
	filesLeft fileLeft // file_completed bookkeeping (handle_files_done.go)
	checking  checkProgress
	picker    *piecepicker.Picker
	have      bitfield.Bitfield
	added     time.Time
	completed time.Time

	peers peerSet        // the connections (peer_set.go)
	plist *peerlist.List // every peer we know of (list_peers)
	// senders are, per piece in flight, the addresses of the peers that
	// sent accepted blocks of it (handle_trust.go).
	senders pieceSenders

	counters counters
	resume   resumeState
	diskErr  diskErrorState
	filePrio []int // per file, 0 to 7
	// rates are the torrent's upload and download channels, by
	// ratelimit.Direction (handle_rates.go).
	rates [2]*ratelimit.Channel
	// moving are the targets of MoveStorage calls not answered yet, in
	// order; renamed are the files RenameFile (or resume data) renamed.
	moving  []string
	renamed map[int]string
	// filePaths are the renamed paths the storage is created with.
	filePaths []string
	trk       trackerState
	meta      metaState
	flt       filterState // the IP and port filters (handle_ipfilter.go)
	// gauge is the ses.num_*_torrents gauge the torrent is counted in
	// (stats_gauge.go).
	gauge torrentGauge
	// stAlert is the stats_alert state (handle_stats_alert.go) and sq the
	// status queries' (handle_status_query.go): made when first needed,
	// so that a torrent that never has peers nor subscribers (a paused
	// one) does not carry them. Measured: they took the actor from the
	// 1 KiB size class to 1.25 KiB, 0.25 KiB a torrent.
	stAlert *statsAlertState
	sq      *statusQuery
	pa      *pieceAccess // sequential, deadlines, reads (piece_access.go)
	pex     *pexState    // peer exchange (handle_pex.go)
	chk     *chokeState  // the choker, made with the first rechoke (handle_choke.go)

	// ticks are the tick and wake-up timers (handle_tick.go); clock the
	// active, finished and seeding times (times.go).
	ticks tickTimers
	clock timeClock
}

type checkProgress struct {
	done, total int
}

// peerInfo is what the torrent knows of one of its connections.
type peerInfo struct {
	key        messages.PeerKey
	pid        *actor.PID
	addr       string
	peerID     [20]byte
	connected  bool
	incoming   bool // it connected to us
	utp        bool // the connection is over uTP (utp_peers.go)
	interested bool // we are interested in it
	// wants: it is interested in us; unchoked: we let it download
	// (handle_choke.go).
	wants, unchoked bool
	ch              peerChoke // the choker's records of it
	stats           messages.PeerStats
	// since is when it connected or last moved payload (displace.go).
	since  time.Time
	closed bool
	// slot: it holds one of the session's connection slots.
	slot bool
	// leaving: we told it to disconnect; it no longer counts in status
	// while its PeerClosed (and peer_disconnected) is on the way.
	leaving bool
	// pending: spawned before the torrent had its info and checked
	// pieces; it gets SetTorrentInfo when they are known.
	pending bool
	// parole: a piece it sent data of failed, and none it sent since
	// passed (use_parole_mode, pick_policy.go).
	parole bool
}

// counters are the torrent's byte totals and rates.
type counters struct {
	download, upload               int64
	payloadDownload, payloadUpload int64
	failed, redundant              int64
	// since last session report
	dDownload, dUpload, dPayloadDownload, dPayloadUpload, dFailed, dRedundant int64
}

// New returns the props of a torrent actor. Its children are supervised by
// their kinds' strategies (HandleFailure): a failing peer is stopped, never
// restarted; a failing announcer is restarted after a backoff.
func New(cfg Config) *actor.Props {
	sh := cfg.Shared
	if sh == nil {
		sh = cfg.shared()
	}
	if sh.Log == nil || sh.Settings == nil {
		c := *sh
		sh = &c
		if sh.Log == nil {
			sh.Log = zap.NewNop()
		}
		if sh.Settings == nil {
			sh.Settings = settings.Default()
		}
	}
	p := cfg.Prealloc
	if p == nil || p.taken {
		p = Preallocate()
	}
	p.taken = true
	p.queued, p.queuePos = cfg.Queued, int32(cfg.QueuePos)
	*p.cfg = torrentConfig{
		Shared: sh, Meta: cfg.Meta, InfoHash: cfg.InfoHash, Name: cfg.Name, SavePath: cfg.SavePath,
		Flags: cfg.Flags, ResumeData: cfg.ResumeData, StorageMode: cfg.StorageMode, NewStorage: cfg.NewStorage,
		FilePriorities: cfg.FilePriorities, Limits: cfg.Limits,
		Tiers: cfg.Trackers.Tiers, TrackerID: cfg.Trackers.TrackerID,
	}
	return p.props
}

// Receive runs the handlers of the torrent's phase (states.go), then
// starts or stops the tick.
func (a *Actor) Receive(ctx actor.Context) {
	phaseHandlers[a.life.phase](a, ctx)
	ackPeerReport(ctx) // handle_peers.go
	gauges{a}.afterMessage(ctx)
	statusView{a}.noteStatusChange(ctx) // handle_status_query.go
	ticker{a}.syncTick(ctx)             // whatever the message changed may make work due, or end it
}
