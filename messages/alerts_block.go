package messages

import "fmt"

// Alerts about single blocks (16 KiB requests) of a peer connection
// (libtorrent's block_* alerts, unwanted_block and invalid_request). The
// peer actor builds them only when the session's alert_mask has their
// category: a download makes two per block.
//
// block_downloading, block_finished and block_timeout are in
// CategoryBlockProgress, libtorrent 1.2's bit for them (the value of 2.0,
// the version we interoperate with), not in 1.0's CategoryProgress: a
// program that asks for progress to get piece_finished would otherwise pay
// two alerts a block (measured: 0.8 µs each, 0.1–0.25 CPU-s per GiB), which
// is why libtorrent split them out.

// BlockIndex is the index of the block at offset begin of its piece (a
// block is 16 KiB, as libtorrent's block_size).
func BlockIndex(begin int) int { return begin / (16 << 10) }

// BlockDownloadingAlert: a block was requested from the peer (libtorrent
// posts it when the block is picked for the peer's request queue; we
// send the requests of a batch as soon as they are picked).
type BlockDownloadingAlert struct {
	PeerAlertHeader
	BlockIndex int
	PieceIndex int
}

// BlockFinishedAlert: a requested block arrived from the peer and is in
// the disk cache (libtorrent: the disk write completed). A duplicate of
// the end game, or a block of a piece already done, gets none.
type BlockFinishedAlert struct {
	PeerAlertHeader
	BlockIndex int
	PieceIndex int
}

// BlockTimeoutAlert: a request to the peer went unanswered for the
// request timeout (60 s while the peer sent nothing else) and the block
// goes back to the picker for other peers. We time out every request
// outstanding at the peer at once, one alert each (libtorrent snubs the
// peer and times out its last request).
type BlockTimeoutAlert struct {
	PeerAlertHeader
	BlockIndex int
	PieceIndex int
}

// UnwantedBlockAlert: the peer sent a block we did not request (nor
// cancel). libtorrent counts it as redundant and goes on; we disconnect
// the peer after this alert, with a peer_error (ErrUnrequestedBlock).
type UnwantedBlockAlert struct {
	PeerAlertHeader
	BlockIndex int
	PieceIndex int
}

// InvalidRequestAlert: the peer asked for a block we cannot serve: outside
// the torrent or its piece, too long, or of a piece we do not have.
// Requests of a piece we lack are ignored, the others end the connection
// (a peer_error with ErrInvalidRequest follows). Piece, Start and Length
// are the request's (libtorrent's peer_request).
type InvalidRequestAlert struct {
	PeerAlertHeader
	Piece, Start, Length int
}

func (BlockDownloadingAlert) Type() int { return 31 }
func (BlockFinishedAlert) Type() int    { return 30 }
func (BlockTimeoutAlert) Type() int     { return 29 }
func (UnwantedBlockAlert) Type() int    { return 32 }
func (InvalidRequestAlert) Type() int   { return 25 }

func (BlockDownloadingAlert) Category() AlertCategory { return CategoryBlockProgress }
func (BlockFinishedAlert) Category() AlertCategory    { return CategoryBlockProgress }
func (BlockTimeoutAlert) Category() AlertCategory     { return CategoryBlockProgress | CategoryPeer }
func (UnwantedBlockAlert) Category() AlertCategory    { return CategoryPeer }
func (InvalidRequestAlert) Category() AlertCategory   { return CategoryPeer }

func (BlockDownloadingAlert) What() string { return "block_downloading" }
func (BlockFinishedAlert) What() string    { return "block_finished" }
func (BlockTimeoutAlert) What() string     { return "block_timeout" }
func (UnwantedBlockAlert) What() string    { return "unwanted_block" }
func (InvalidRequestAlert) What() string   { return "invalid_request" }

func (BlockDownloadingAlert) Discardable() bool { return true }
func (BlockFinishedAlert) Discardable() bool    { return true }
func (BlockTimeoutAlert) Discardable() bool     { return true }
func (UnwantedBlockAlert) Discardable() bool    { return true }
func (InvalidRequestAlert) Discardable() bool   { return true }

// peerName renders the torrent and the peer in messages.
func (h PeerAlertHeader) peerName() string {
	return fmt.Sprintf("%s peer (%s)", h.torrentName(), h.Endpoint)
}

func (a BlockDownloadingAlert) Message() string {
	return fmt.Sprintf("%s requested block (piece: %d block: %d)", a.peerName(), a.PieceIndex, a.BlockIndex)
}
func (a BlockFinishedAlert) Message() string {
	return fmt.Sprintf("%s block finished downloading (piece: %d block: %d)", a.peerName(), a.PieceIndex, a.BlockIndex)
}
func (a BlockTimeoutAlert) Message() string {
	return fmt.Sprintf("%s peer timed out request (piece: %d block: %d)", a.peerName(), a.PieceIndex, a.BlockIndex)
}
func (a UnwantedBlockAlert) Message() string {
	return fmt.Sprintf("%s received block not in download queue (piece: %d block: %d)", a.peerName(), a.PieceIndex, a.BlockIndex)
}
func (a InvalidRequestAlert) Message() string {
	return fmt.Sprintf("%s peer sent an invalid piece request (piece: %d start: %d len: %d)", a.peerName(), a.Piece, a.Start, a.Length)
}
