// Package peeractor is one peer connection: a socket, its reader and writer
// goroutines (not actors), the BitTorrent wire state (choke, interest,
// bitfield), the download request pipeline and the upload queue. The
// torrent decides what to request and whom to unchoke; the peer applies it.
package peeractor

import (
	"context"
	"net"
	"sync/atomic"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/requestq"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// Config describes one connection.
type Config struct {
	Key      messages.PeerKey
	InfoHash messages.InfoHash
	PeerID   [20]byte // ours
	// Info is nil while the torrent fetches its metadata (a magnet
	// link): bitfields and HAVEs are then kept raw until SetTorrentInfo.
	Info *metainfo.Info
	// InfoBytes is the info dictionary served to peers that ask for it
	// (ut_metadata); nil before the metadata is known.
	InfoBytes []byte
	// Have is our bitfield when the peer starts (the peer keeps its copy
	// up to date from HavePiece).
	Have bitfield.Bitfield
	// Unverified are the pieces not verified yet in seed mode (empty:
	// none, or not in seed mode); requests for them wait (seed_mode.go).
	Unverified bitfield.Bitfield
	Disk       *actor.PID
	// Alerts is the session's alert actor (nil: no alerts): the peer
	// posts its block and performance alerts there (block_alerts.go).
	Alerts *actor.PID
	// Credit is the torrent's write-credit gate.
	Credit *actors.Credit
	// Outgoing: Addr to dial. Incoming: Conn with the remote's handshake.
	Addr      string
	Conn      net.Conn
	Handshake *wire.Handshake
	// UTP: Conn is a uTP connection (incoming). DialUTP connects over
	// uTP (the session's socket; nil: none), tried first unless NoUTP:
	// the peer list knows the peer lacks uTP (transport.go).
	UTP     bool
	DialUTP DialFunc
	NoUTP   bool
	// Supervision recovers the connection's goroutines and injects the
	// plan's faults into them (nil: no faults).
	Supervision *supervisor.Supervision
	// Settings are the session's (nil: the defaults): the timeouts
	// (peer_connect_timeout, handshake_timeout, peer_timeout) and our
	// client's name (handshake_client_version, else user_agent). The
	// torrent forwards new ones (SettingsChanged).
	Settings *settings.Snapshot
	// Bandwidth is the session's rate-limit gate (nil: no limits) and
	// TorrentRates the torrent's upload and download channels, indexed
	// by ratelimit.Direction (nil: none); see bandwidth.go.
	Bandwidth    *actors.Bandwidth
	TorrentRates [2]*ratelimit.Channel
	// Counters is the session's stats counter block (nil: none).
	Counters *stats.Counters
	// Activity counts the session's peers moving data by transport
	// (mixed_mode_algorithm; nil: not counted).
	Activity *actors.Activity
	// DHTPort is the session's DHT node's port (nil or 0: no DHT): we set
	// BEP 5's reserved bit and send PORT to a peer that sets it too
	// (dht_port.go).
	DHTPort *actors.DHTPort
	// ListenPort is ours, told in the extension handshake ("p": how the
	// remote's other peers reach us through PEX); 0: not told.
	// UploadOnly: we download nothing (BEP 21's upload_only: finished, or
	// upload mode).
	ListenPort uint16
	UploadOnly bool
	// SuperSeed: the torrent super seeds (BEP 16): the remote is told of
	// the pieces SuperSeedPieces names, not of all we have (super_seed.go).
	SuperSeed bool
	// ShareMode: our torrent is in share mode; the extension handshake
	// says so (with support_share_mode, share_mode.go).
	ShareMode bool
}

// Limits that protect us from hostile or broken peers.
const (
	keepAliveInterval = 90 * time.Second
	tickInterval      = time.Second
)

// Actor is the peer actor.
type Actor struct {
	cfg    Config
	set    *settings.Snapshot
	conn   net.Conn
	w      *writer
	bw     peerBandwidth
	addr   string
	remote wire.Handshake

	// reader bookkeeping
	readerCtx    context.Context
	stopReader   context.CancelFunc
	readerDone   chan struct{}
	heldCredit   atomic.Int64   // credit taken by the reader, not yet handed on
	inWin        *inboundWindow // messages handed on, not handled yet (inbound_window.go)
	cancelTicker func()

	connected bool
	utp       bool // the connection is over uTP
	closing   bool
	closeErr  error

	have                        bitfield.Bitfield // ours
	peerHave                    bitfield.Bitfield
	amChoking, amInterested     bool
	peerChoking, peerInterested bool

	// download side
	outstanding map[messages.Block]time.Time
	cancelled   map[messages.Block]struct{} // cancelled by us; may still arrive
	timedOut    map[messages.Block]struct{} // handed back, still requested at the peer
	asking      bool
	pipeline    int            // requests to keep outstanding: rq's depth
	rq          requestq.State // pacing, snubbing, timeouts (handle_requests.go)

	reports reportState // to the torrent, one of each in flight (reports.go)
	ext     extState
	pex     pexState  // ut_pex (handle_pex.go)
	fast    fastState // BEP 6 (fast.go)

	super superSeedState // BEP 16 (super_seed.go)

	// upload side
	requests  []messages.Block        // from the remote, not yet read
	seed      *seedHold               // seed mode: requests held until verified (nil: none)
	inFlight  map[messages.Block]bool // reading or sending; false = cancelled
	uploading int
	window    uploadWindow // bound on uploading (upload_window.go)

	// stats
	stats       statCounters
	lastReceive time.Time
	lastSend    time.Time
	gauges      peerGauges            // num_tcp_peers, half-open, connected
	act         actors.ActivityHolder // Config.Activity: moving data, by transport
	flags       flagGauges            // interested and unchoked gauges
	ip          peerIP                // IP overhead since the last report
	totals      peerTotals            // for peer_info (handle_peer_info.go)
}

// New returns the props of a peer actor.
func New(cfg Config) *actor.Props {
	if cfg.Settings == nil {
		cfg.Settings = settings.Default()
	}
	return actor.PropsFromProducer(func() actor.Actor {
		numPieces := 0
		if cfg.Info != nil {
			numPieces = cfg.Info.NumPieces()
		}
		a := &Actor{
			cfg:         cfg,
			set:         cfg.Settings,
			have:        cfg.Have.Clone(),
			peerHave:    bitfield.New(numPieces),
			amChoking:   true,
			peerChoking: true,
			outstanding: map[messages.Block]time.Time{},
			cancelled:   map[messages.Block]struct{}{},
			timedOut:    map[messages.Block]struct{}{},
			inFlight:    map[messages.Block]bool{},
			rq:          requestq.New(requestLimits(cfg.Settings)),
			readerDone:  make(chan struct{}),
			inWin:       newInboundWindow(),
			seed:        newSeedHold(cfg.Unverified),
			super:       startState(cfg.SuperSeed),
		}
		a.pipeline = a.rq.Depth()
		a.window.update(cfg.Settings, 0)
		a.gauges.c, a.flags.c = cfg.Counters, cfg.Counters
		if len(cfg.InfoBytes) > 0 {
			a.ext.server = metadata.NewServer(cfg.InfoBytes)
		}
		return a
	})
}

// Receive dispatches on the message type.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.handleStarted(ctx)
	case *connected:
		a.handleConnected(ctx, m)
	case *connectFailed:
		a.fail(ctx, m.err, false)
	case *utpFailed:
		ctx.Send(ctx.Parent(), &messages.PeerUTPFailed{Key: a.cfg.Key})
	case *inbound:
		a.inWin.handled(1)
		a.lastReceive = time.Now()
		a.handleInbound(ctx, m)
	case *inboundBatch:
		a.inWin.handled(len(m.msgs))
		a.lastReceive = time.Now()
		for i := range m.msgs {
			a.handleInbound(ctx, &m.msgs[i])
		}
		m.release()
	case *ioFailed:
		a.fail(ctx, m.err, m.protocol)
	case *blockSent:
		a.handleBlockSent(ctx, m)
	case *messages.SettingsChanged:
		a.set = m.Settings
		a.bw.settingsChanged(m.Settings)
		a.window.update(m.Settings, -1)
	case *tick:
		a.handleTick(ctx)
	case *messages.PeerReportSeen:
		reporting{a}.handleReportSeen(ctx, m)
	case *messages.BlocksAssigned:
		a.handleBlocksAssigned(ctx, m)
	case *messages.HavePiece:
		a.handleHavePiece(m)
	case *messages.PieceVerified:
		(seedGate{a}).handlePieceVerified(ctx, m) // seed_mode.go
	case *messages.SuperSeedPieces:
		superSeeding{a}.handle(m) // super_seed.go
	case *messages.SuggestPiece:
		(fastExt{a}).handleSuggestPiece(m) // fast.go
	case *messages.SetInterested:
		a.handleSetInterested(m)
	case *messages.SetChoke:
		a.handleSetChoke(ctx, m)
	case *messages.CancelBlock:
		a.handleCancelBlock(m)
	case *messages.CancelRequests:
		a.handleCancelRequests(ctx)
	case *messages.Disconnect:
		a.fail(ctx, m.Err, false)
	case *messages.RequestMetadata:
		a.handleRequestMetadata(m)
	case *messages.SendPEX:
		a.handleSendPex(m)
	case *messages.GetPeerInfo:
		a.handleGetPeerInfo(ctx)
	case *messages.SetTorrentInfo:
		a.handleSetTorrentInfo(ctx, m)
	case *messages.DiskReadReply:
		a.handleDiskReadReply(ctx, m)
	case *messages.ResetConnection:
		a.handleReset(ctx)
	case *messages.GoroutineFailed:
		panic(m) // a goroutine of the connection panicked: fail (and stop)
	case *actor.Stopping:
		a.handleStopping(ctx)
	}
}
