package actorrent

import "github.com/actorrent/actorrent/messages"

// AddTorrentAlert answers every AddTorrent and AsyncAddTorrent; Error is
// set when the add failed. Posted whatever the alert mask, never dropped.
// Params is the AddTorrentParams given.
type AddTorrentAlert struct {
	messages.AddTorrentAlert
	torrentRef
	Params AddTorrentParams
}

// wrapAddTorrentAlert gives the alert its handle and typed params.
func (s *Session) wrapAddTorrentAlert(a *messages.AddTorrentAlert) Alert {
	out := AddTorrentAlert{AddTorrentAlert: *a, torrentRef: s.torrentRef(a.InfoHash)}
	if p, ok := a.Params.(AddTorrentParams); ok {
		out.Params = p
	}
	return out
}
