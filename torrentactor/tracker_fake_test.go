package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/internal/tracker/trackertest"
)

// The scripted tracker client of the torrent's tests (shared with the
// announcer's: internal/tracker/trackertest).
type (
	fakeClient = trackertest.Client
	call       = trackertest.Call
)

func okReply(interval time.Duration, peers ...string) *tracker.AnnounceResponse {
	return trackertest.OK(interval, peers...)
}

func events(calls []call) string { return trackertest.Events(calls) }
