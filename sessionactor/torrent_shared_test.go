package sessionactor

import (
	"testing"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/asynkron/protoactor-go/actor"
)

// Torrents added while nothing changed share one configuration; new
// settings, a new filter or the tracker port make a new one, which the
// torrents added after get.
func TestTorrentSharedFollowsChanges(t *testing.T) {
	a := &Actor{set: settings.Default()}
	pid := actor.NewPID("local", "session")
	first := a.torrentShared(pid)
	if a.torrentShared(pid) != first {
		t.Fatal("nothing changed, yet a new Shared")
	}
	if first.Settings != a.set || first.Session != pid {
		t.Fatalf("Shared holds %p / %v", first.Settings, first.Session)
	}
	for i, change := range []func(){
		func() {
			next, err := a.set.With(map[string]any{"connections_limit": 9})
			if err != nil {
				t.Fatal(err)
			}
			a.set = next
		},
		func() { a.filters.ip = &ipfilter.IPFilter{} },
		func() { a.filters.port = &ipfilter.PortFilter{} },
		func() { a.trk.port = 6881 },
	} {
		before := a.torrentShared(pid)
		change()
		after := a.torrentShared(pid)
		if after == before {
			t.Fatalf("change %d kept the old Shared", i)
		}
		if after.Settings != a.set || after.IPFilter != a.filters.ip || after.PortFilter != a.filters.port || after.TrackerBase.Port != a.trk.port {
			t.Fatalf("change %d: the new Shared does not hold the new values", i)
		}
	}
}
