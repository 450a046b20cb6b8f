package peeractor

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/pex"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Errors of the extension protocol (peer_error).
var (
	ErrBadExtension     = errors.New("peeractor: malformed extension message")
	ErrUnknownExtension = errors.New("peeractor: extension message with an id we did not offer")
)

// clientName is the "v" of our extension handshake:
// handshake_client_version, or user_agent when that is empty (as
// libtorrent).
func (a *Actor) clientName() string {
	if v := a.set.Str(settings.HandshakeClientVersion); v != "" {
		return v
	}
	return a.set.Str(settings.UserAgent)
}

// Metadata serving limits. The answers go into the writer's control
// buffer, which nothing else bounds: a peer asking faster than it reads
// must not grow it. Past metadataServeRate requests a second (1 MiB/s of
// 16 KiB pieces) we reject; past metadataFloodRate it is a flood.
const (
	metadataServeRate = 64
	metadataFloodRate = 1024
)

// maxEarlyHaves bounds the HAVEs a peer may send before we know the
// piece count; past it, more are ignored (the bitfield and later HAVEs
// still count). 1<<20 pieces is a 16 TiB torrent of 16 KiB pieces.
const maxEarlyHaves = 1 << 20

// extState is the BEP 10 side of a connection.
type extState struct {
	// utMetadata is the id the remote wants for ut_metadata messages we
	// send it (0: it does not speak ut_metadata).
	utMetadata uint8
	// server answers the remote's ut_metadata requests (nil: we do not
	// have the metadata; requests are rejected).
	server *metadata.Server
	// rawBitfield and rawHaves are what the remote said it has before we
	// knew the piece count (a torrent still fetching its metadata).
	rawBitfield []byte
	gotBitfield bool
	rawHaves    map[uint32]struct{}
	// requests counts ut_metadata requests since the last tick.
	requests int
	// client is the remote's "v" (peer_info's client); uploadOnly its
	// upload_only (BEP 21).
	client     string
	uploadOnly bool
	// shareMode: the remote's torrent is in share mode (share_mode.go).
	shareMode bool
}

// sendExtHandshake offers ut_metadata and, when we have the metadata,
// says its size so the remote can fetch it from us.
func (a *Actor) sendExtHandshake() {
	h := metadata.ExtHandshake{
		M:          map[string]uint8{metadata.ExtUTMetadata: metadata.UTMetadataID},
		V:          a.clientName(),
		Reqq:       a.set.Int(settings.MaxAllowedInRequestQueue),
		P:          a.cfg.ListenPort,
		UploadOnly: a.cfg.UploadOnly,
	}
	// yourip: how we see the remote (libtorrent sends it; a peer behind
	// NAT learns its external address from its peers' votes).
	if ap, err := netip.ParseAddrPort(a.addr); err == nil {
		h.YourIP = ap.Addr().Unmap()
	}
	if a.offersPex() {
		h.M[pex.ExtensionName] = utPexID
	}
	if a.ext.server != nil {
		h.MetadataSize = a.ext.server.Size()
	}
	shareExt{a}.offer(&h)
	payload := metadata.AppendExtHandshake(nil, h)
	a.w.control(func(b []byte) []byte {
		return wire.AppendMessage(b, wire.Message{ID: wire.Extended, ExtendedID: metadata.HandshakeID, Payload: payload})
	})
	a.stats.upload += int64(6 + len(payload))
	a.sent(stats.SesNumOutgoingExtHandshake, 1)
	a.sent(stats.SesNumOutgoingExtended, 1)
}

// handleExtended applies one extension message. Garbage, or a message
// beyond the codecs' size limits, ends the connection as a peer error.
func (a *Actor) handleExtended(ctx actor.Context, m wire.Message) error {
	switch m.ExtendedID {
	case metadata.HandshakeID:
		a.cfg.Counters.Inc(stats.SesNumIncomingExtHandshake)
		h, err := metadata.ParseExtHandshake(m.Payload)
		if err != nil {
			return fmt.Errorf("%w: handshake: %w", ErrBadExtension, err)
		}
		id, ok := h.ID(metadata.ExtUTMetadata)
		if !ok {
			id = 0
		}
		a.ext.utMetadata = id
		a.ext.client = h.V
		a.ext.uploadOnly = h.UploadOnly
		shareExt{a}.heard(h)
		a.pex.remoteID, _ = h.ID(pex.ExtensionName)
		a.rq.SetPeerQueue(h.Reqq, a.requestLimits()) // caps our requests to it
		a.pipeline = a.rq.Depth()
		ctx.Send(ctx.Parent(), &messages.PeerExtHandshake{
			Key: a.cfg.Key, UTMetadata: id != 0, MetadataSize: h.MetadataSize, Client: h.V,
			UTPex: a.pex.remoteID != 0, ListenPort: h.P, YourIP: h.YourIP, UploadOnly: h.UploadOnly,
		})
		return nil
	case utPexID:
		return a.handlePex(ctx, m.Payload)
	case shareModeID:
		return shareExt{a}.handleMessage(m.Payload)
	case metadata.UTMetadataID:
		a.cfg.Counters.Inc(stats.SesNumIncomingMetadata)
		return a.handleUTMetadata(ctx, m.Payload)
	}
	return fmt.Errorf("%w: %d", ErrUnknownExtension, m.ExtendedID)
}

func (a *Actor) handleUTMetadata(ctx actor.Context, payload []byte) error {
	msg, err := metadata.ParseMessage(payload)
	if errors.Is(err, metadata.ErrUnknownType) {
		return nil // BEP 9: ignored
	}
	if err != nil {
		return fmt.Errorf("%w: ut_metadata: %w", ErrBadExtension, err)
	}
	switch msg.Type {
	case metadata.MsgRequest:
		a.ext.requests++
		if a.ext.requests > metadataFloodRate {
			return fmt.Errorf("%w: ut_metadata", ErrRequestFlood)
		}
		srv := a.ext.server
		if srv == nil || a.ext.requests > metadataServeRate {
			srv = metadata.NewServer(nil) // rejects everything
		}
		reply, _ := srv.Answer(msg)
		a.sendUTMetadata(reply)
	case metadata.MsgData, metadata.MsgReject:
		// The payload buffer belongs to this message only: the torrent
		// may keep Data.
		ctx.Send(ctx.Parent(), &messages.PeerMetadata{
			Key: a.cfg.Key, Piece: msg.Piece, Reject: msg.Type == metadata.MsgReject,
			TotalSize: msg.TotalSize, Data: msg.Data,
		})
	}
	return nil
}

// sendUTMetadata sends a ut_metadata message with the remote's id; a
// remote that did not offer ut_metadata gets nothing.
func (a *Actor) sendUTMetadata(m metadata.Message) {
	id := a.ext.utMetadata
	if id == 0 || !a.connected || a.closing {
		return
	}
	payload, err := metadata.AppendMessage(nil, m)
	if err != nil {
		return
	}
	a.w.control(func(b []byte) []byte {
		return wire.AppendMessage(b, wire.Message{ID: wire.Extended, ExtendedID: id, Payload: payload})
	})
	a.stats.upload += int64(6 + len(payload))
	a.sent(stats.SesNumOutgoingMetadata, 1)
	a.sent(stats.SesNumOutgoingExtended, 1)
}

// handleRequestMetadata: the torrent's fetcher wants a piece from this peer.
func (a *Actor) handleRequestMetadata(m *messages.RequestMetadata) {
	a.sendUTMetadata(metadata.Message{Type: metadata.MsgRequest, Piece: m.Piece})
}

// keepEarlyHave remembers a HAVE received before the piece count is known.
func (a *Actor) keepEarlyHave(piece uint32) {
	if a.ext.rawHaves == nil {
		a.ext.rawHaves = map[uint32]struct{}{}
	}
	if len(a.ext.rawHaves) < maxEarlyHaves {
		a.ext.rawHaves[piece] = struct{}{}
	}
}

// handleSetTorrentInfo: the torrent has its metadata now. Apply what the
// remote said it has (a malformed bitfield or an index out of range is
// the remote's fault, as it would have been on arrival), serve the
// metadata, and tell the remote what we have.
func (a *Actor) handleSetTorrentInfo(ctx actor.Context, m *messages.SetTorrentInfo) {
	if a.cfg.Info != nil || m.Meta == nil {
		return
	}
	a.cfg.Info = &m.Meta.Info
	a.ext.server = metadata.NewServer(m.Meta.InfoBytes)
	n := a.cfg.Info.NumPieces()
	a.have = bitfield.New(n)
	a.peerHave = bitfield.New(n)
	for _, p := range m.Have {
		a.have.Set(p)
	}
	if a.closing {
		return
	}
	if a.ext.gotBitfield {
		bf, err := bitfield.FromBytes(a.ext.rawBitfield, n)
		if err != nil {
			a.fail(ctx, fmt.Errorf("%w: %w", ErrBadBitfield, err), true)
			return
		}
		a.peerHave = bf
		reporting{a}.bitfieldChanged(ctx)
	}
	a.ext.rawBitfield = nil
	(fastExt{a}).applyEarlyHaveAll(ctx) // fast.go
	for p := range a.ext.rawHaves {
		if err := a.handlePeerHave(ctx, int(p)); err != nil {
			a.fail(ctx, err, true)
			return
		}
	}
	a.ext.rawHaves = nil
	if a.connected {
		for _, p := range m.Have {
			a.w.control(func(b []byte) []byte { return wire.AppendHave(b, uint32(p)) })
			a.sent(stats.SesNumOutgoingHave, 1)
			a.stats.upload += 9
		}
	}
}
