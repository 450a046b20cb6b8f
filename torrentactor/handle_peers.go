package torrentactor

import (
	"errors"
	"time"

	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/peeractor"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// ErrPeerActorFailed is the peer_error of a peer whose actor panicked.
var ErrPeerActorFailed = errors.New("torrentactor: peer actor failed")

// active reports whether the torrent may have peers now.
func (a *Actor) active() bool {
	return a.life.runs() && !a.life.removing && a.life.err == nil && (a.picker != nil || a.meta.enabled)
}

// handleConnectPeer (connect_peer) puts the peer in the list and, when
// the torrent may have peers, connects to it now: a user's request does
// not wait for connection_speed. Addresses that are not numeric are
// connected to without entering the list.
func (a *Actor) handleConnectPeer(ctx actor.Context, m *messages.ConnectPeer) {
	ap, numeric := parseAddrPort(m.Addr)
	if numeric {
		if (filters{a}).refusePeer(ctx, ap, true) || !a.plist.Add(ap, 0) {
			return // filtered, banned, or not an address a peer can be at
		}
	} else if (filters{a}).connectByName(ctx, m.Addr) {
		return
	}
	if !a.active() || a.peers.len() >= a.maxPeers() || !(utpPeers{a}).canDialOut() {
		return // the list connects it later
	}
	for range a.peers.openAt(m.Addr) {
		return // connected already
	}
	if numeric && a.plist.IPBusy(ap) {
		return // one connection per IP (allow_multiple_connections_per_ip)
	}
	if a.spawnPeer(ctx, utpPeers{a}.outgoing(m.Addr)) && numeric {
		a.plist.Connecting(ap, time.Now())
	}
}

// handleAttachPeer takes an incoming connection, or closes it when the
// torrent cannot have peers now or the peer is banned.
func (a *Actor) handleAttachPeer(ctx actor.Context, m *messages.AttachPeer) {
	if !a.active() {
		m.Conn.Close()
		return
	}
	factor := rateLimits{a}.connectionFactor(m.Conn, m.UTP)
	full := a.peers.len() >= (rateLimits{a}).maxIncomingPeers(factor)
	ap, numeric := parseAddrPort(m.Conn.RemoteAddr().String())
	if numeric && (filters{a}.refusePeer(ctx, ap, false) || !a.plist.Incoming(ap)) {
		m.Conn.Close()
		return
	}
	hs := m.Handshake
	pc := peeractor.Config{Conn: m.Conn, Handshake: &hs, UTP: m.UTP}
	if !full && a.spawnPeer(ctx, pc) {
		return
	}
	// The torrent or the session is at its limit: the newcomer may take
	// the place of a connection that does nothing (displace.go).
	if (displacing{a}).displaceFor(ctx, factor) {
		a.spawnPeerTaken(ctx, pc)
		return
	}
	m.Conn.Close()
	if numeric {
		a.plist.Closed(ap, false)
	}
}

// spawnPeer starts a peer actor for a connection, if the session has a
// connection slot for it; it reports whether it did.
func (a *Actor) spawnPeer(ctx actor.Context, pc peeractor.Config) bool {
	if !a.cfg.Connections.TakeScaled(rateLimits{a}.connectionFactor(pc.Conn, pc.UTP)) {
		return false
	}
	a.spawnPeerTaken(ctx, pc)
	return true
}

// spawnPeerTaken starts a peer actor with a connection slot already taken.
func (a *Actor) spawnPeerTaken(ctx actor.Context, pc peeractor.Config) {
	pc.Key = a.peers.newKey()
	pc.InfoHash = a.ih
	pc.PeerID = a.cfg.PeerID
	pending := a.picker == nil // only a torrent added by info-hash gets here
	if !pending {
		pc.Info = a.info
		pc.Have = a.have.Clone()
		pc.Unverified = seedMode{a}.unverified() // seed mode: held until verified
	}
	if a.cfg.Meta != nil {
		pc.InfoBytes = a.cfg.Meta.InfoBytes
	}
	pc.Disk, pc.Alerts = a.cfg.Disk, a.cfg.Alerts
	pc.Credit = a.credit
	pc.Supervision = a.cfg.Supervision
	pc.Settings = a.set
	rateLimits{a}.ensureRates()
	pc.Bandwidth, pc.TorrentRates = a.cfg.Bandwidth, a.rates
	pc.Counters = a.cfg.Counters
	pc.DialUTP, pc.Activity, pc.DHTPort = a.cfg.DialUTP, a.cfg.Activity, a.cfg.DHTPort
	pc.ListenPort = uint16(a.cfg.TrackerBase.Port)
	// Share mode never says upload_only: it stays with the seeds.
	pc.ShareMode = sharing{a}.on()
	pc.UploadOnly = (a.life.finished || a.diskErr.uploadMode) && !pc.ShareMode
	if pc.SuperSeed = (superSeeder{a}).acting(); pc.SuperSeed {
		pc.UploadOnly = false // as libtorrent: peers may leave a seed that says it only uploads
	}
	var props *actor.Props
	if a.cfg.PeerProps != nil {
		props = a.cfg.PeerProps(pc)
	} else {
		props = peeractor.New(pc)
	}
	pid := ctx.Spawn(a.cfg.Supervision.Configure(supervisor.KindPeer, props))
	addr := pc.Addr
	if pc.Conn != nil {
		addr = pc.Conn.RemoteAddr().String()
	}
	a.peers.add(&peerInfo{key: pc.Key, pid: pid, addr: addr, pending: pending, slot: true, incoming: pc.Conn != nil, utp: pc.UTP})
}

func (a *Actor) handlePeerConnected(ctx actor.Context, m *messages.PeerConnected) {
	p := a.peers.get(m.Key)
	if p == nil || !a.active() {
		// Not active: paused, failed or removing, and the peer already
		// told to disconnect; it must not count as connected meanwhile.
		return
	}
	p.connected = true
	p.utp = m.UTP
	p.peerID = m.PeerID
	p.since = time.Now()
	if ap, ok := parseAddrPort(p.addr); ok {
		a.plist.Handshaken(ap)
	}
	a.post(ctx, &messages.PeerConnectAlert{PeerAlertHeader: messages.PeerHeader(a.ih, m.Addr, m.PeerID), Incoming: m.Incoming})
	superSeeder{a}.peerConnected(ctx, p) // super_seed.go
}

func (a *Actor) handlePeerBitfield(ctx actor.Context, m *messages.PeerBitfield) {
	p := a.peers.get(m.Key)
	if p == nil {
		return
	}
	a.picker.PeerBitfield(piecepicker.PeerKey(m.Key), m.Bitfield)
	superSeeder{a}.peerBitfield(ctx, m.Key)
	if ap, ok := parseAddrPort(p.addr); ok {
		a.plist.SetSeed(ap, m.Bitfield.All())
	}
	if m.Bitfield.All() && a.life.finished && !(sharing{a}).keepsSeeds() {
		// Two seeds have nothing to say to each other.
		ctx.Send(p.pid, &messages.Disconnect{})
		return
	}
	a.updateInterest(ctx, p)
	sharing{a}.recalc(ctx) // a peer joined (its pieces are known now)
}

func (a *Actor) handlePeerHave(ctx actor.Context, m *messages.PeerHave) {
	p := a.peers.get(m.Key)
	if p == nil {
		return
	}
	a.picker.PeerHave(piecepicker.PeerKey(m.Key), m.Piece)
	if a.picker.PeerIsSeed(piecepicker.PeerKey(m.Key)) {
		// Its last HAVE: the list knows it as a seed at once (the stats'
		// IsSeed come a second later), so that a seed of ours does not
		// connect back to it once it hung up.
		if ap, ok := parseAddrPort(p.addr); ok {
			a.plist.SetSeed(ap, true)
		}
	}
	superSeeder{a}.peerHave(ctx, m.Key, m.Piece)
	if !p.interested && !a.picker.Have(m.Piece) {
		a.updateInterest(ctx, p)
	}
	sharing{a}.recalc(ctx)
}

// ackPeerReport acknowledges a peer's PeerInterest or PeerBitfield,
// whatever the phase made of it: the peer sends its next report only then
// (peeractor/reports.go).
func ackPeerReport(ctx actor.Context) {
	bf := false
	switch ctx.Message().(type) {
	case *messages.PeerInterest:
	case *messages.PeerBitfield:
		bf = true
	default:
		return
	}
	if ctx.Sender() != nil { // nil: not from a peer actor (tests)
		ctx.Respond(&messages.PeerReportSeen{Bitfield: bf})
	}
}

// handlePeerInterest: a peer's interest changes whom the choker unchokes.
func (a *Actor) handlePeerInterest(ctx actor.Context, m *messages.PeerInterest) {
	if p := a.peers.get(m.Key); p != nil {
		p.wants = m.Interested
		superSeeder{a}.peerInterest(m.Key, m.Interested)
		choking{a}.rechoke(ctx)
	}
}

// updateInterest tells a peer whether we want something it has.
func (a *Actor) updateInterest(ctx actor.Context, p *peerInfo) {
	want := !a.life.finished && !a.diskErr.uploadMode && a.picker.IsInteresting(piecepicker.PeerKey(p.key))
	if want != p.interested {
		p.interested = want
		ctx.Send(p.pid, &messages.SetInterested{Interested: want})
	}
}

func (a *Actor) handlePeerClosed(ctx actor.Context, m *messages.PeerClosed) {
	p := a.peers.get(m.Key)
	if p == nil || p.closed {
		return
	}
	// A connection that never worked, or ended in an error we did not
	// ask for, counts against the peer in the list.
	peerList{a}.peerLeft(p, !p.leaving && (!p.connected || m.Err != nil))
	if m.Protocol {
		a.post(ctx, &messages.PeerErrorAlert{PeerAlertHeader: messages.PeerHeader(a.ih, m.Addr, m.PeerID), Error: m.Err})
	}
	if p.connected || m.Protocol {
		a.post(ctx, &messages.PeerDisconnectedAlert{PeerAlertHeader: messages.PeerHeader(a.ih, m.Addr, m.PeerID), Error: m.Err})
	}
}

// handlePeerFailed: a peer actor panicked; supervisor.PeerStrategy stopped
// it. Report it as a peer error; Terminated cleans up.
func (a *Actor) handlePeerFailed(ctx actor.Context, m *messages.ChildFailed) {
	if p := a.peers.ofPID(m.Child); p != nil && !p.closed {
		peerList{a}.peerLeft(p, true)
		a.post(ctx, &messages.PeerErrorAlert{PeerAlertHeader: messages.PeerHeader(a.ih, p.addr, p.peerID),
			Error: errors.Join(ErrPeerActorFailed, errors.New(m.Reason))})
	}
}

// peerGone: a peer actor terminated (see the Terminated case in common).
type peerGone struct{ who *actor.PID }

// handlePeerTerminated forgets a peer actor that stopped, for whatever
// reason, and frees its requests in the picker.
func (a *Actor) handlePeerTerminated(ctx actor.Context, who *actor.PID) {
	key, p, ok := a.peers.remove(who)
	if !ok {
		return
	}
	if p != nil {
		a.counters.addPeerFinal(p)
		if !p.closed {
			peerList{a}.peerLeft(p, !p.leaving)
		}
	}
	if a.picker != nil {
		a.picker.PeerRemoved(piecepicker.PeerKey(key))
		sharing{a}.recalc(ctx)
	}
	superSeeder{a}.peerGone(key)
	if a.meta.fetching() {
		a.meta.fetcher.RemovePeer(metadata.PeerKey(key))
		metaFetch{a}.pumpMetadata(ctx)
	}
	a.closeIdlePeers(ctx)        // the last one a graceful pause waited for?
	choking{a}.rechoke(ctx)      // its upload slot, if it had one
	peerList{a}.connectMore(ctx) // its slot is free
}

// disconnectAll closes every connection.
func (a *Actor) disconnectAll(ctx actor.Context, err error) {
	for _, p := range a.peers.leave() {
		ctx.Send(p.pid, &messages.Disconnect{Err: err})
	}
}

func (a *Actor) handlePeerStats(ctx actor.Context, m *messages.PeerStats) {
	p := a.peers.get(m.Key)
	if p == nil {
		return
	}
	if m.IsSeed && !p.stats.IsSeed {
		// It completed while connected (HAVEs), not only by its bitfield.
		if ap, ok := parseAddrPort(p.addr); ok {
			a.plist.SetSeed(ap, true)
		}
		if a.life.finished && !p.closed && !p.leaving && a.set.Bool(settings.CloseRedundantConnections) && !(sharing{a}).keepsSeeds() {
			// Two seeds have nothing to say to each other (finish could
			// not know yet: the stats come every second).
			p.leaving = true
			ctx.Send(p.pid, &messages.Disconnect{})
		}
	}
	p.stats = *m
	if m.PayloadDownload > 0 || m.PayloadUpload > 0 {
		p.since = time.Now()
	}
	a.counters.add(m)
	choking{a}.notePeerChokeStats(ctx, p, m)
}
