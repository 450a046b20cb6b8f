package torrentactor

import (
	"errors"
	"fmt"
	"time"

	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
)

// metaFetch is the fetch of a torrent added by info-hash (a magnet link): downloading_metadata's
// handlers, the fetcher's timer, and the peers that wait for the info. A view of the actor, not a
// part of it: the state stays in the actor (1000 of its size class's 1024 bytes), the type names
// the concern's methods.
type metaFetch struct{ *Actor }

// metadataLeft is the "left" announced while the size is unknown:
// libtorrent announces 16 KiB (one block) for a torrent without metadata,
// so trackers count it as a leecher and return seeds.
const metadataLeft = 16 << 10

// metaState is the fetch of a torrent added by info-hash (a magnet link).
type metaState struct {
	// enabled: the torrent was added without metadata. Its peers may
	// exist before the check (they wait for SetTorrentInfo) and it keeps
	// announcing while it checks.
	enabled bool
	fetcher *metadata.Fetcher // nil once the metadata is known
	// cancelWake stops the timer of the fetcher's next deadline.
	cancelWake scheduler.CancelFunc
	wakeAt     time.Time
}

// fetching reports whether the torrent still waits for its metadata.
func (m *metaState) fetching() bool { return m.fetcher != nil }

// metadataWake: a fetcher deadline passed (a request timed out, or a
// peer's backoff ended).
type metadataWake struct{}

// metadataState: downloading_metadata. No disk registration, no picker;
// peers connect, and those speaking ut_metadata serve the fetch.
func (a metaFetch) metadataState(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *messages.PeerExtHandshake:
		pexing{a.Actor}.noteHandshake(m)
		voteExternalIP(ctx, a.Actor, m)
		a.handleExtHandshake(ctx, m)
	case *messages.PeerMetadata:
		a.handlePeerMetadata(ctx, m)
	case *metadataWake:
		a.meta.wakeAt = time.Time{}
		a.pumpMetadata(ctx)
	case *messages.SaveResumeData:
		resumeSaver{a.Actor}.saveResumeWithoutMetadata(ctx, m)
	case *messages.GetPriorities:
		ctx.Respond(&messages.PrioritiesReply{})
	case *messages.ForceRecheck, *messages.SetFilePriorities, *messages.SetPiecePriorities,
		*messages.MoveStorage, *messages.RenameFile, *messages.SetUploadMode, *messages.PeerInterest:
		// Nothing on disk to act on yet (libtorrent refuses these too
		// without metadata).
	default:
		a.common(ctx)
	}
}

// startMetadata begins downloading_metadata (from handleStarted).
func (a metaFetch) startMetadata(ctx actor.Context) {
	a.trk.init(a.cfg.trackers(), a.cfg.Meta)
	a.change(ctx, event{kind: evMetadata})
}

func (a metaFetch) handleExtHandshake(ctx actor.Context, m *messages.PeerExtHandshake) {
	p := a.peers.get(m.Key)
	if p == nil || p.closed || !m.UTMetadata {
		return
	}
	if err := a.meta.fetcher.AddPeer(metadata.PeerKey(m.Key), m.MetadataSize); err != nil {
		if errors.Is(err, metadata.ErrBanned) {
			ctx.Send(p.pid, &messages.Disconnect{Err: err})
		}
		return
	}
	a.pumpMetadata(ctx)
}

func (a metaFetch) handlePeerMetadata(ctx actor.Context, m *messages.PeerMetadata) {
	k := metadata.PeerKey(m.Key)
	if m.Reject {
		a.meta.fetcher.OnReject(k, m.Piece, time.Now())
		a.pumpMetadata(ctx)
		return
	}
	out := a.meta.fetcher.OnData(k, metadata.Message{Type: metadata.MsgData, Piece: m.Piece, TotalSize: m.TotalSize, Data: m.Data})
	for _, d := range out.Drop {
		a.dropMetadataLiar(ctx, messages.PeerKey(d))
	}
	if out.Restarted {
		a.post(ctx, &messages.MetadataFailedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Error: messages.ErrMetadataMismatch})
	}
	if out.Done {
		a.metadataReceived(ctx, a.meta.fetcher.Info())
		return
	}
	a.pumpMetadata(ctx)
}

// dropMetadataLiar disconnects a peer that sent metadata not matching the
// info-hash, as a peer error.
func (a metaFetch) dropMetadataLiar(ctx actor.Context, key messages.PeerKey) {
	p := a.peers.get(key)
	if p == nil || p.closed {
		return
	}
	err := fmt.Errorf("%w (from this peer)", messages.ErrMetadataMismatch)
	peerList{a.Actor}.banPeer(p)
	a.post(ctx, &messages.PeerErrorAlert{PeerAlertHeader: messages.PeerHeader(a.ih, p.addr, p.peerID), Error: err})
	ctx.Send(p.pid, &messages.Disconnect{Err: err})
}

// pumpMetadata sends the requests the fetcher wants now and arms the timer
// for its next deadline.
func (a metaFetch) pumpMetadata(ctx actor.Context) {
	if !a.meta.fetching() {
		return
	}
	now := time.Now()
	reqs, wake := a.meta.fetcher.Next(now)
	for _, r := range reqs {
		if p := a.peers.get(messages.PeerKey(r.Peer)); p != nil && !p.closed {
			ctx.Send(p.pid, &messages.RequestMetadata{Piece: r.Piece})
		}
	}
	if wake.IsZero() || (!a.meta.wakeAt.IsZero() && !wake.Before(a.meta.wakeAt)) {
		return
	}
	if a.meta.cancelWake != nil {
		a.meta.cancelWake()
	}
	a.meta.wakeAt = wake
	a.meta.cancelWake = scheduler.NewTimerScheduler(ctx).SendOnce(max(wake.Sub(now), time.Millisecond), ctx.Self(), &metadataWake{})
}

// metadataReceived: the info dictionary is verified. Build the torrent
// from it (keeping our trackers) and go on as a torrent added from a
// .torrent file: register with the disk and check what is there. Peers
// get the info when the check is done (releasePendingPeers).
func (a metaFetch) metadataReceived(ctx actor.Context, info []byte) {
	a.stopMetadataTimer()
	mi, err := metainfo.FromInfoBytes(info)
	if err != nil {
		// It hashes right but is no torrent: nobody can give us better.
		a.meta.fetcher = nil
		a.post(ctx, &messages.MetadataFailedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Error: err})
		a.change(ctx, event{kind: evError, err: fmt.Errorf("torrentactor: metadata: %w", err)})
		return
	}
	mi.AnnounceList = cloneTiers(a.trk.tiers)
	if len(mi.AnnounceList) > 0 && len(mi.AnnounceList[0]) > 0 {
		mi.Announce = mi.AnnounceList[0][0]
	}
	a.meta.fetcher = nil
	a.cfg.Meta = mi
	a.info = &mi.Info
	a.post(ctx, &messages.MetadataReceivedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
	priorities{a.Actor}.initPriorities(a.cfg.FilePriorities, nil)
	a.registerStorage(ctx)
	a.startCheck(ctx)
}

func (a metaFetch) stopMetadataTimer() {
	if a.meta.cancelWake != nil {
		a.meta.cancelWake()
		a.meta.cancelWake = nil
	}
	a.meta.wakeAt = time.Time{}
}

// releasePendingPeers gives the info to peers that connected before it
// was known, once the pieces we have are known too (after the check):
// their bitfields and HAVEs then reach the picker.
func (a metaFetch) releasePendingPeers(ctx actor.Context) {
	have := a.have.Indices()
	for p := range a.peers.all() {
		if p.pending && !p.closed {
			p.pending = false
			ctx.Send(p.pid, &messages.SetTorrentInfo{Meta: a.cfg.Meta, Have: have})
		}
	}
}

// handleGetTorrentFile answers with the metadata, nil before it is known.
func (a metaFetch) handleGetTorrentFile(ctx actor.Context) {
	if a.meta.fetching() {
		ctx.Respond(&messages.TorrentFileReply{})
		return
	}
	ctx.Respond(&messages.TorrentFileReply{Meta: a.cfg.Meta})
}
