package actorrent

import "github.com/actorrent/actorrent/messages"

// AddTorrentAlert answers every AddTorrent and AsyncAddTorrent; Error is
// set when the add failed. Posted whatever the alert mask, never dropped.
// Params is a copy of the AddTorrentParams given, the alert's own (read
// it, do not change it: a pointer, so that an alert a torrent costs no
// copy of the whole params when it is delivered — 100k adds made 35 MB
// of such copies).
type AddTorrentAlert struct {
	messages.AddTorrentAlert
	torrentRef
	Params *AddTorrentParams
}

// wrapAddTorrentAlert gives the alert its handle and typed params.
func (s *Session) wrapAddTorrentAlert(a *messages.AddTorrentAlert) Alert {
	out := AddTorrentAlert{AddTorrentAlert: *a, torrentRef: s.torrentRef(a.InfoHash)}
	if p, ok := a.Params.(*AddTorrentParams); ok {
		out.Params = p
	} else {
		out.Params = &AddTorrentParams{}
	}
	return out
}
