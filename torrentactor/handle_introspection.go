package torrentactor

import (
	"net/netip"

	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// introspection answers what a user asks of the torrent's connections and
// pieces in flight (libtorrent's get_peer_info, get_download_queue).
type introspection struct{ *Actor }

// handleGetPeerList lists the open connections with the torrent's part of
// their peer_info; the facade asks each peer actor for the rest.
func (a introspection) handleGetPeerList(ctx actor.Context) {
	endgame := a.picker != nil && a.picker.InEndGame()
	r := &messages.PeerListReply{}
	for p := range a.peers.open() {
		if p.leaving {
			continue
		}
		var info messages.PeerInfo
		if ap, err := netip.ParseAddrPort(p.addr); err == nil {
			if e, ok := a.plist.Lookup(ap); ok {
				info.Source = messages.PeerSourceFlags(e.Source)
				info.Failcount = e.Failcount
			}
		}
		if p.incoming {
			info.Source |= messages.PeerSourceFlags(1 << 5) // incoming
		}
		if p.ch.optimistic {
			info.Flags |= messages.PeerOptimisticUnchoke
		}
		if endgame && p.interested {
			info.Flags |= messages.PeerEndgameMode
		}
		r.Peers = append(r.Peers, messages.PeerRef{PID: p.pid, Info: info})
	}
	ctx.Respond(r)
}

// handleGetDownloadQueue answers with the picker's pieces in flight, the
// peers named by address.
func (a introspection) handleGetDownloadQueue(ctx actor.Context) {
	r := &messages.DownloadQueueReply{}
	if a.picker == nil {
		ctx.Respond(r)
		return
	}
	addr := func(k piecepicker.PeerKey) string {
		if p := a.peers.get(messages.PeerKey(k)); p != nil {
			return p.addr
		}
		return ""
	}
	for _, pp := range a.picker.DownloadQueue() {
		pi := messages.PartialPieceInfo{PieceIndex: pp.Piece, BlocksInPiece: len(pp.Blocks),
			Finished: pp.Finished, Requested: pp.Requested, Blocks: make([]messages.BlockInfo, len(pp.Blocks))}
		for i, b := range pp.Blocks {
			size := a.picker.BlockLength(pp.Piece, i)
			bi := messages.BlockInfo{State: int(b.State), BlockSize: size, NumPeers: b.NumPeers}
			if b.State != piecepicker.BlockNone {
				bi.Peer = addr(b.Peer)
			}
			if b.State == piecepicker.BlockFinished {
				bi.BytesProgress = size
			}
			pi.Blocks[i] = bi
		}
		r.Pieces = append(r.Pieces, pi)
	}
	ctx.Respond(r)
}
