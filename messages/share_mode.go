package messages

// SetShareMode (facade → torrent) puts the torrent in share mode or takes
// it out (TorrentHandle.SetShareMode). In share mode a torrent downloads
// only the pieces it expects to upload more than once
// (share_mode_target); out of it, it downloads as its priorities say.
type SetShareMode struct {
	On bool
}
