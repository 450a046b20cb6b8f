package actorrent

import (
	"context"
	"sync"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
)

// PeerInfo is one connection as libtorrent's peer_info shows it.
type PeerInfo = messages.PeerInfo

// PeerFlags are peer_info's flags (libtorrent's peer_flags_t bits).
type PeerFlags = messages.PeerFlags

// The peer flags.
const (
	PeerInteresting        = messages.PeerInteresting
	PeerChoked             = messages.PeerChoked
	PeerRemoteInterested   = messages.PeerRemoteInterested
	PeerRemoteChoked       = messages.PeerRemoteChoked
	PeerSupportsExtensions = messages.PeerSupportsExtensions
	PeerOutgoingConnection = messages.PeerOutgoingConnection
	PeerHandshake          = messages.PeerHandshake
	PeerConnecting         = messages.PeerConnecting
	PeerOnParole           = messages.PeerOnParole
	PeerSeed               = messages.PeerSeed
	PeerOptimisticUnchoke  = messages.PeerOptimisticUnchoke
	PeerSnubbed            = messages.PeerSnubbed
	PeerUploadOnly         = messages.PeerUploadOnly
	PeerEndgameMode        = messages.PeerEndgameMode
	PeerUTPSocket          = messages.PeerUTPSocket
)

// PeerSourceFlags say where a peer was learnt of (libtorrent's
// peer_source_flags_t).
type PeerSourceFlags = messages.PeerSourceFlags

// The peer sources.
const (
	PeerSourceTracker    PeerSourceFlags = 0x01
	PeerSourceDHT        PeerSourceFlags = 0x02
	PeerSourcePEX        PeerSourceFlags = 0x04
	PeerSourceLSD        PeerSourceFlags = 0x08
	PeerSourceResumeData PeerSourceFlags = 0x10
	PeerSourceIncoming   PeerSourceFlags = 0x20
)

// PartialPieceInfo is a piece being downloaded with the state of each
// block (libtorrent's partial_piece_info); BlockInfo one block.
type (
	PartialPieceInfo = messages.PartialPieceInfo
	BlockInfo        = messages.BlockInfo
)

// Block states of BlockInfo.State (libtorrent's block_info values).
const (
	BlockNone      = 0
	BlockRequested = 1
	BlockFinished  = 3
)

// peerInfoTimeout bounds the wait for one peer's answer: a peer closing
// meanwhile is left out rather than holding the call.
const peerInfoTimeout = 5 * time.Second

// GetPeerInfo returns the torrent's connections (libtorrent's
// get_peer_info): each peer actor answers for itself, all at once, and the
// torrent adds the source, fail count and its choker's flags. A
// connection that closes meanwhile is left out.
func (h TorrentHandle) GetPeerInfo(ctx context.Context) ([]PeerInfo, error) {
	r, err := h.ask(ctx, &messages.GetPeerList{}, true)
	if err != nil {
		return nil, err
	}
	refs := r.(*messages.PeerListReply).Peers
	out := make([]PeerInfo, len(refs))
	got := make([]bool, len(refs))
	var wg sync.WaitGroup
	for i, ref := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pctx, cancel := context.WithTimeout(ctx, peerInfoTimeout)
			defer cancel()
			v, err := actors.Request(pctx, h.s.root, ref.PID, &messages.GetPeerInfo{})
			pi, ok := v.(*messages.PeerInfo)
			if err != nil || !ok {
				return
			}
			pi.Source = ref.Info.Source
			pi.Failcount = ref.Info.Failcount
			pi.Flags |= ref.Info.Flags & (PeerOptimisticUnchoke | PeerEndgameMode | PeerOnParole)
			out[i], got[i] = *pi, true
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := 0
	for i := range out {
		if got[i] {
			out[n] = out[i]
			n++
		}
	}
	return out[:n], nil
}

// GetDownloadQueue returns the pieces being downloaded, by index, with
// each block's state and peer (libtorrent's get_download_queue).
func (h TorrentHandle) GetDownloadQueue(ctx context.Context) ([]PartialPieceInfo, error) {
	r, err := h.ask(ctx, &messages.GetDownloadQueue{}, true)
	if err != nil {
		return nil, err
	}
	return r.(*messages.DownloadQueueReply).Pieces, nil
}
