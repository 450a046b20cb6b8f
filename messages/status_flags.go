package messages

import "github.com/actorrent/actorrent/internal/slotclaim"

// StatusFlags are libtorrent's torrent_handle::status_flags_t (same
// values): the costly fields of a TorrentStatus are filled only when their
// flag is given.
type StatusFlags uint32

// The status flags.
const (
	// QueryDistributedCopies fills DistributedFullCopies,
	// DistributedFraction and DistributedCopies (-1 without it).
	QueryDistributedCopies StatusFlags = 1
	// QueryAccurateDownloadCounters asks for TotalDone and TotalWantedDone
	// including the blocks of pieces not yet verified; ours always count
	// verified pieces only, with or without it.
	QueryAccurateDownloadCounters StatusFlags = 2
	// QueryLastSeenComplete fills LastSeenComplete.
	QueryLastSeenComplete StatusFlags = 4
	// QueryPieces fills Pieces and SparseRegions.
	QueryPieces StatusFlags = 8
	// QueryVerifiedPieces fills VerifiedPieces (seed mode only).
	QueryVerifiedPieces StatusFlags = 16
	// QueryTorrentFile fills TorrentFile.
	QueryTorrentFile StatusFlags = 32
	// QueryName fills Name.
	QueryName StatusFlags = 64
	// QuerySavePath fills SavePath.
	QuerySavePath StatusFlags = 128
	// QueryAll is every flag: libtorrent's default for
	// torrent_handle::status() (0xffffffff).
	QueryAll StatusFlags = 0xffffffff
)

// GetTorrentStatuses asks the session for the status of many torrents in
// one fan-out; reply *TorrentStatusesReply. InfoHashes nil means every
// torrent (in the session's order); unknown ones are left out.
type GetTorrentStatuses struct {
	InfoHashes []InfoHash
	Flags      StatusFlags
	// Slots, when set, gives n places for the n torrents asked (called
	// once, by the gatherer) and their claims: each torrent writes its
	// status into its own through the claim. After the reply the caller
	// settles the claims (slotclaim.Claims.Settle): from then on no
	// torrent writes its memory, and Done says which slots hold a status.
	Slots func(n int) ([]*TorrentStatus, *slotclaim.Claims)
}

// TorrentStatusesReply answers GetTorrentStatuses: the statuses in the
// order asked, without the torrents that are gone (the torrents' own
// replies, not copied: each is the receiver's).
type TorrentStatusesReply struct {
	Statuses []*TorrentStatus
}

// PostTorrentUpdates asks the session to post a StateUpdateAlert with the
// torrents that reported a change since the last one; reply Ack.
type PostTorrentUpdates struct {
	Flags StatusFlags
}

// TorrentStatusChanged: a torrent subscribed to state updates
// (FlagUpdateSubscribe) changed since its last state_update. Sent once
// until the session asks for its status ForUpdate.
type TorrentStatusChanged struct {
	InfoHash InfoHash
}

// SetUpdateSubscribe turns the torrent's state-update subscription on or
// off (libtorrent's update_subscribe flag).
type SetUpdateSubscribe struct {
	On bool
}
