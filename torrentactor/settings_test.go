package torrentactor

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/messages"
)

// The peer settings a torrent reads, applied at runtime: with
// enable_outgoing_tcp off it dials nobody; turned on with
// connections_limit 1 it dials one; raised to 3, the others at the next
// tick (connection_speed allowing).
func TestPeerSettingsAtRuntime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		addrs := []string{"10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1"}
		r, pid, f := peerListRig(t, Config{Settings: withSettings(map[string]any{"enable_outgoing_tcp": false})}, addrs...)
		r.sys.Root.Send(pid, trackerPeers(addrs...))
		advance(2 * time.Second)
		if n := len(f.dialed()); n != 0 {
			t.Fatalf("dialed %d with enable_outgoing_tcp off", n)
		}
		r.sys.Root.Send(pid, &messages.SettingsChanged{Settings: withSettings(map[string]any{"connections_limit": 1})})
		advance(2 * time.Second)
		if n := len(f.dialed()); n != 1 {
			t.Fatalf("dialed %d with connections_limit 1", n)
		}
		r.sys.Root.Send(pid, &messages.SettingsChanged{Settings: withSettings(map[string]any{"connections_limit": 3})})
		advance(2 * time.Second)
		if n := len(f.dialed()); n != 3 {
			t.Fatalf("dialed %d after connections_limit went to 3", n)
		}
	})
}
