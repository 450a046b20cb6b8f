package torrentactor

import (
	"testing"
	"time"

	"github.com/actorrent/actorrent/messages"
)

// A file written just before the save is recorded a nanosecond older, so
// a write after the stat that kept its coarse mtime still shows; a file at
// rest is recorded as it is; a missing one as size 0, time unknown.
func TestFileSizesRecentFiles(t *testing.T) {
	now := time.Unix(1_000_000, 500)
	recent, rest := now.Add(-3*time.Millisecond), now.Add(-time.Hour)
	r := &messages.DiskFileStatsReply{Sizes: []int64{10, 20, -1}, MTimes: []time.Time{recent, rest, {}}}
	got := fileSizes(r, now)
	if got[0].MTimeNano != recent.UnixNano()-1 || got[0].Size != 10 {
		t.Errorf("recent file recorded %+v, want a nanosecond before %d", got[0], recent.UnixNano())
	}
	if got[1].MTimeNano != rest.UnixNano() || got[1].MTime != rest.Unix() {
		t.Errorf("file at rest recorded %+v", got[1])
	}
	if got[2].Size != 0 || got[2].MTime != 0 || got[2].MTimeNano != 0 {
		t.Errorf("missing file recorded %+v", got[2])
	}
}
