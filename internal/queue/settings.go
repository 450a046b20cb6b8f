package queue

import (
	"math"
	"time"
)

// Settings are the libtorrent settings the queue reads. The session maps
// its settings snapshot into one with each change (SetSettings).
type Settings struct {
	// ActiveDownloads, ActiveSeeds and ActiveLimit are the slots for
	// auto-managed downloading torrents, seeding torrents and both
	// together (active_downloads, active_seeds, active_limit). Negative
	// means unlimited; ActiveLimit 0 (or less than one slot) pauses every
	// auto-managed torrent.
	ActiveDownloads int
	ActiveSeeds     int
	ActiveLimit     int

	// AutoManageInterval is the period of the regular pass
	// (auto_manage_interval); at least a second is used.
	AutoManageInterval time.Duration
	// AutoManageStartup is how long a running torrent's rate must stay on
	// the other side of the inactivity thresholds before it changes
	// between active and inactive (auto_manage_startup). A torrent just
	// started downloads at 0 B/s: this grace keeps it counted as active
	// while it finds peers.
	AutoManageStartup time.Duration
	// AutoManagePreferSeeds hands out slots to seeds before downloads
	// (auto_manage_prefer_seeds); active_limit is shared between them.
	AutoManagePreferSeeds bool
	// DontCountSlowTorrents lets inactive torrents run without taking a
	// download or seed slot (dont_count_slow_torrents); they still count
	// against ActiveLimit.
	DontCountSlowTorrents bool
	// InactiveDownRate and InactiveUpRate (bytes/s of payload) are the
	// thresholds: a downloading torrent below InactiveDownRate, or a
	// finished one below InactiveUpRate, is inactive.
	InactiveDownRate int64
	InactiveUpRate   int64

	// The seeding goals, met when any one is reached: uploaded/downloaded
	// (share_ratio_limit, percent), finished time/download time
	// (seed_time_ratio_limit, percent) and finished time (seed_time_limit).
	// A seed that met a goal ranks below every seed that did not.
	ShareRatioLimit    int
	SeedTimeRatioLimit int
	SeedTimeLimit      time.Duration
}

// DefaultSettings returns libtorrent 1.1's defaults (settings.md).
func DefaultSettings() Settings {
	return Settings{
		ActiveDownloads:       3,
		ActiveSeeds:           5,
		ActiveLimit:           500,
		AutoManageInterval:    30 * time.Second,
		AutoManageStartup:     60 * time.Second,
		DontCountSlowTorrents: true,
		InactiveDownRate:      2048,
		InactiveUpRate:        2048,
		ShareRatioLimit:       200,
		SeedTimeRatioLimit:    700,
		SeedTimeLimit:         24 * time.Hour,
	}
}

// minInterval is the shortest time between two passes: libtorrent puts a
// pass triggered less than a second after the last one off to the next
// second tick, and its periodic counter counts whole seconds.
const minInterval = time.Second

// interval is the period of the regular pass.
func (s Settings) interval() time.Duration {
	return max(s.AutoManageInterval, minInterval)
}

// slots turns a limit setting into a count: negative means unlimited.
func slots(v int) int {
	if v < 0 {
		return math.MaxInt
	}
	return v
}
