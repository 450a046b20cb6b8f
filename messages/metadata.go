package messages

import (
	"net/netip"

	"github.com/actorrent/actorrent/internal/metainfo"
)

// Messages of the metadata exchange (BEP 9 over BEP 10): a torrent added
// from a magnet link or a bare info-hash fetches its info dictionary from
// its peers. The torrent owns the fetch; peers carry the messages.

// PeerExtHandshake (peer → torrent): the remote's extension handshake.
// UTMetadata is false when the remote does not speak ut_metadata;
// MetadataSize is 0 when it did not say (it has no metadata).
type PeerExtHandshake struct {
	Key          PeerKey
	UTMetadata   bool
	MetadataSize int64
	Client       string
	// UTPex: the remote speaks ut_pex; ListenPort is its "p" (0: not
	// given), the port PEX tells others of for a peer that connected to
	// us.
	UTPex      bool
	ListenPort uint16
	// YourIP is our address as the remote sees it (its "yourip"; invalid
	// when not given): a vote on our external address. UploadOnly: it
	// downloads nothing (BEP 21).
	YourIP     netip.Addr
	UploadOnly bool
}

// PeerMetadata (peer → torrent): a ut_metadata data message (Reject false,
// Data the piece) or a reject for Piece.
type PeerMetadata struct {
	Key       PeerKey
	Piece     int
	Reject    bool
	TotalSize int64
	Data      []byte
}

// RequestMetadata (torrent → peer): send a ut_metadata request for Piece.
type RequestMetadata struct {
	Piece int
}

// SetTorrentInfo (torrent → peer): the metadata is known and checked; the
// peer applies the bitfield and HAVEs it kept raw, serves metadata, and
// tells the remote the pieces in Have.
type SetTorrentInfo struct {
	Meta *metainfo.MetaInfo
	Have []int
}

// GetTorrentFile asks a torrent for its metadata; reply TorrentFileReply.
type GetTorrentFile struct{}

// TorrentFileReply answers GetTorrentFile; Meta is nil before the
// metadata is known.
type TorrentFileReply struct {
	Meta *metainfo.MetaInfo
}
