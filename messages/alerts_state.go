package messages

import "fmt"

// StateUpdateAlert answers PostTorrentUpdates: the status of every torrent
// subscribed to state updates (FlagUpdateSubscribe) that changed since the
// last one. Posted whatever the alert mask and never dropped, as
// libtorrent posts it; Status may be empty.
type StateUpdateAlert struct {
	AlertHeader
	Status []TorrentStatus
}

func (StateUpdateAlert) Type() int               { return 68 }
func (StateUpdateAlert) Category() AlertCategory { return CategoryStatus }
func (StateUpdateAlert) What() string            { return "state_update" }
func (StateUpdateAlert) Discardable() bool       { return false }
func (a StateUpdateAlert) Message() string {
	return fmt.Sprintf("state updates for %d torrents", len(a.Status))
}
