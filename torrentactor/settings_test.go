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

// A finished torrent's outgoing connections: with
// seeding_outgoing_connections off it dials nobody; with
// no_connect_privileged_ports on, a peer on a port under 1024 is refused
// (peer_blocked, privileged_ports) and the others dialled;
// close_redundant_connections off keeps a seed connected to a seed.
func TestSeedingPeerSettings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		addrs := []string{"10.0.0.1:80", "10.0.0.2:6881"}
		r, pid, f := peerListRig(t, Config{Settings: withSettings(map[string]any{"seeding_outgoing_connections": false})}, addrs...)
		r.sys.Root.Send(pid, &messages.SettingsChanged{Settings: withSettings(map[string]any{
			"seeding_outgoing_connections": false, "no_connect_privileged_ports": true})})
		r.sys.Root.Send(pid, trackerPeers(addrs...))
		advance(2 * time.Second)
		if n := len(f.dialed()); n != 0 {
			t.Fatalf("a seed dialled %d with seeding_outgoing_connections off", n)
		}
		blocked := func() int {
			r.sink.mu.Lock()
			defer r.sink.mu.Unlock()
			n := 0
			for _, a := range r.sink.alerts {
				if b, ok := a.(*messages.PeerBlockedAlert); ok && b.Reason == messages.BlockedPrivilegedPorts && b.Endpoint == "10.0.0.1:80" {
					n++
				}
			}
			return n
		}
		if blocked() != 1 {
			t.Fatal("no peer_blocked (privileged_ports) for 10.0.0.1:80")
		}
		r.sys.Root.Send(pid, &messages.SettingsChanged{Settings: withSettings(map[string]any{
			"no_connect_privileged_ports": true, "close_redundant_connections": false})})
		advance(2 * time.Second)
		if got := f.dialed(); len(got) != 1 || got[0] != "10.0.0.2:6881" {
			t.Fatalf("dialled %v, want only 10.0.0.2:6881", got)
		}
		r.sys.Root.Send(pid, &messages.PeerStats{Key: 1, IsSeed: true})
		advance(2 * time.Second)
		if st := r.status(pid); st.NumPeers != 1 {
			t.Fatalf("%d peers: a seed was disconnected with close_redundant_connections off", st.NumPeers)
		}
		r.sys.Root.Send(pid, &messages.SettingsChanged{Settings: withSettings(nil)})
		r.sys.Root.Send(pid, &messages.PeerStats{Key: 1, IsSeed: false})
		r.sys.Root.Send(pid, &messages.PeerStats{Key: 1, IsSeed: true})
		advance(2 * time.Second)
		if st := r.status(pid); st.NumPeers != 0 {
			t.Fatalf("%d peers: two seeds stayed connected with close_redundant_connections on", st.NumPeers)
		}
	})
}
