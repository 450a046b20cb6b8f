package torrentactor

import "github.com/actorrent/actorrent/torrentactor/announcer"

// TrackerConfig is what a torrent needs to announce (the announcer
// package's; Config.Trackers keeps its name).
type TrackerConfig = announcer.TrackerConfig
