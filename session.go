package actorrent

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"github.com/actorrent/actorrent/torrentactor/announcer"
	"net/netip"
	"sync"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/portmapactor"
	"github.com/actorrent/actorrent/sessionactor"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/actorrent/actorrent/torrentactor"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// Session is a BitTorrent session (libtorrent's session): a thin
// request/response facade over the session actor. All methods are safe for
// concurrent use.
type Session struct {
	system *actor.ActorSystem
	root   *actor.RootContext
	pid    *actor.PID
	sup    *supervisor.Supervision
	log    *zap.Logger
	notify chan struct{}

	mu       sync.Mutex
	closed   bool
	pumps    []*alertPump
	dispatch *alertPump
}

// Option configures NewSession beyond settings.
type Option func(*sessionOptions)

type sessionOptions struct {
	log    *zap.Logger
	faults *supervisor.Plan
	// trackers replaces the tracker clients (tests: no UDP socket in a
	// synctest bubble).
	trackers announcer.TrackerClient
	// lsdGroup replaces BEP 14's multicast group (tests: a port of their
	// own, so that they hear no other process's announces).
	lsdGroup netip.AddrPort
	// dhtResendDelay shortens the DHT's query resend wait (tests: the
	// queries a closed node had in flight end sooner).
	dhtResendDelay time.Duration
	// portmap finds the gateways for port mapping (tests: fakes on
	// loopback; nil: the network's).
	portmap portmapactor.Discoverer
}

// WithLogger routes the engine's logs (and protoactor's) to log. The
// default logs nothing.
func WithLogger(log *zap.Logger) Option {
	return func(o *sessionOptions) { o.log = log }
}

// NewSession starts a session with settings. It returns once the listen
// sockets are open (listen_succeeded / listen_failed alerts say how that
// went).
func NewSession(ctx context.Context, pack SettingsPack, opts ...Option) (*Session, error) {
	o := sessionOptions{log: zap.NewNop()}
	for _, f := range opts {
		f(&o)
	}
	set, err := pack.snapshot(settings.Default())
	if err != nil {
		return nil, err
	}
	peerID, err := makePeerID(set.Str(settings.PeerFingerprint))
	if err != nil {
		return nil, err
	}
	sup, err := supervisor.New(o.faults)
	if err != nil {
		return nil, err
	}
	s := &Session{log: o.log, notify: make(chan struct{}, 1), sup: sup}
	s.system = actors.NewSystem(o.log)
	s.root = s.system.Root
	cfg := sessionactor.Config{
		Settings:    set,
		PeerID:      peerID,
		Notify:      s.notify,
		Log:         o.log,
		Supervision: sup,
		// nil and zero unless a test set them
		TrackerClient:       o.trackers,
		LSDGroup:            o.lsdGroup,
		DHTQueryResendDelay: o.dhtResendDelay,
		PortmapDiscoverer:   o.portmap,
	}
	s.pid = s.root.Spawn(sessionactor.New(cfg))
	// The first request returns once Started (and so listening) ran. A
	// session that failed on it (a fault plan) was resumed and is up:
	// ask again.
	_, err = s.ListenAddrs(ctx)
	for errors.Is(err, ErrActorFailed) {
		_, err = s.ListenAddrs(ctx)
	}
	if err != nil {
		_ = s.root.StopFuture(s.pid).Wait() // its listeners and goroutines too
		s.system.Shutdown()
		return nil, err
	}
	return s, nil
}

// makePeerID builds an Azureus-style peer id: the fingerprint, then random
// printable characters.
func makePeerID(prefix string) ([20]byte, error) {
	var id [20]byte
	const chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var rnd [20]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return id, fmt.Errorf("actorrent: peer id: %w", err)
	}
	for i := range id {
		id[i] = chars[int(rnd[i])%len(chars)]
	}
	copy(id[:], prefix)
	return id, nil
}

// request sends msg to the session actor and waits for the reply.
func (s *Session) request(ctx context.Context, msg any) (any, error) {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, ErrSessionClosed
	}
	return actors.Request(ctx, s.root, s.pid, msg)
}

// ListenAddrs returns the addresses the session listens on (with the
// ports actually bound).
func (s *Session) ListenAddrs(ctx context.Context) ([]string, error) {
	r, err := s.request(ctx, &messages.ListenAddrs{})
	if err != nil {
		return nil, err
	}
	return r.(*messages.ListenAddrsReply).Addrs, nil
}

// AddTorrent adds a torrent and returns its handle. If the torrent is
// already in the session its handle is returned, or ErrDuplicateTorrent
// with FlagDuplicateIsError. An add_torrent alert is posted either way.
func (s *Session) AddTorrent(ctx context.Context, p AddTorrentParams) (TorrentHandle, error) {
	msg, err := s.addMessage(p)
	if err != nil {
		return TorrentHandle{}, err
	}
	r, err := s.request(ctx, msg)
	if err != nil {
		return TorrentHandle{}, err
	}
	rep := r.(*messages.AddTorrentReply)
	if rep.Err != nil {
		return TorrentHandle{}, rep.Err
	}
	return TorrentHandle{ih: rep.InfoHash, s: s}, nil
}

// AsyncAddTorrent adds a torrent without waiting; the result comes as an
// AddTorrentAlert (which is never dropped).
func (s *Session) AsyncAddTorrent(p AddTorrentParams) error {
	msg, err := s.addMessage(p)
	if err != nil {
		return err
	}
	msg.Async = true
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrSessionClosed
	}
	s.root.Send(s.pid, msg)
	return nil
}

func (s *Session) addMessage(p AddTorrentParams) (*messages.AddTorrent, error) {
	if p.TI == nil && (p.URL != "" || p.InfoHash != (InfoHash{})) {
		return magnetAddMessage(p)
	}
	if p.TI == nil && len(p.ResumeData) > 0 {
		ti, err := torrentFromResumeData(p.ResumeData)
		if err != nil {
			return nil, err
		}
		p.TI = ti
	}
	if p.SavePath == "" {
		return nil, fmt.Errorf("%w: SavePath is empty", ErrInvalidParams)
	}
	if p.TI == nil {
		return nil, fmt.Errorf("%w: no TI, URL, InfoHash nor ResumeData", ErrInvalidParams)
	}
	// The message and the params its alert will carry are one
	// allocation: two of the ~40 per added torrent were these.
	w := &struct {
		m messages.AddTorrent
		p AddTorrentParams
	}{p: p}
	w.m = messages.AddTorrent{
		Info: p.TI.m, SavePath: p.SavePath, Flags: p.Flags, ResumeData: p.ResumeData,
		StorageMode: p.StorageMode, NewStorage: internalConstructor(p.StorageConstructor, p.StorageMode),
		FilePriorities: p.FilePriorities,
		Trackers:       p.Trackers, TrackerID: p.TrackerID,
		UserData: &w.p,
		Limits:   p.limits(),
		// Allocated here, on the caller's goroutine, rather than on the
		// session actor's, which spawns every torrent in turn.
		Prealloc: torrentactor.Preallocate(),
	}
	return &w.m, nil
}

// FindTorrent returns the handle of a torrent in the session; ok is false
// when there is none.
func (s *Session) FindTorrent(ctx context.Context, ih InfoHash) (TorrentHandle, bool, error) {
	r, err := s.request(ctx, &messages.FindTorrent{InfoHash: ih})
	if err != nil {
		return TorrentHandle{}, false, err
	}
	if r.(*messages.FindTorrentReply).PID == nil {
		return TorrentHandle{}, false, nil
	}
	return TorrentHandle{ih: ih, s: s}, true, nil
}

// GetTorrents returns the handles of every torrent, in the order added.
func (s *Session) GetTorrents(ctx context.Context) ([]TorrentHandle, error) {
	r, err := s.request(ctx, &messages.GetTorrents{})
	if err != nil {
		return nil, err
	}
	ihs := r.(*messages.GetTorrentsReply).InfoHashes
	out := make([]TorrentHandle, len(ihs))
	for i, ih := range ihs {
		out[i] = TorrentHandle{ih: ih, s: s}
	}
	return out, nil
}

// RemoveOptions are libtorrent's remove_torrent options.
type RemoveOptions int

// DeleteFiles removes the torrent's files too (torrent_deleted or
// torrent_delete_failed tells how it went).
const DeleteFiles RemoveOptions = 1

// RemoveTorrent removes a torrent. The handle is invalid when this returns;
// files are closed (or deleted) in the background, behind the disk's fence.
func (s *Session) RemoveTorrent(ctx context.Context, h TorrentHandle, opts RemoveOptions) error {
	r, err := s.request(ctx, &messages.RemoveTorrentRequest{InfoHash: h.ih, DeleteFiles: opts&DeleteFiles != 0})
	if err != nil {
		return err
	}
	if err := r.(*messages.RemoveTorrentReply).Err; err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidHandle, err)
	}
	return nil
}

// Close stops the session: it stops listening, stops every torrent (files
// kept, closed), stops the actors, and ends alert delivery. Later calls
// return ErrSessionClosed. Close is bounded by ctx; on expiry the actors
// are stopped anyway.
func (s *Session) Close(ctx context.Context) error {
	_, err := s.request(ctx, &messages.CloseSession{})
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	pumps := s.pumps
	s.pumps = nil
	s.mu.Unlock()
	// StopFuture waits for the whole tree (torrents, peers, disk) to stop.
	_ = s.root.StopFuture(s.pid).Wait()
	for _, p := range pumps {
		p.stop(s.root)
	}
	s.system.Shutdown()
	if err == ErrSessionClosed {
		return nil
	}
	return err
}
