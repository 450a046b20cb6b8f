package dhtstate

import (
	"net/netip"
	"testing"

	"github.com/actorrent/actorrent/internal/sessionstate"
)

// FuzzLoadState: whatever bytes a saved session state holds, what the DHT
// takes from it (an id, the nodes) comes out bounded, and saving it again
// gives a state that loads back to the same nodes.
func FuzzLoadState(f *testing.F) {
	f.Add([]byte("d9:dht stated7:node-id20:aaaaaaaaaaaaaaaaaaaa5:nodesl6:\x7f\x00\x00\x01\x1a\xe1eee"))
	f.Add([]byte("d9:dht stated7:node-idl32:\x7f\x00\x00\x01bbbbbbbbbbbbbbbbbbbbbbbbbbbbe6:nodes6l18:\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x1a\xe1eee"))
	f.Add([]byte("d9:dht stated5:nodesi3eee"))
	f.Add([]byte("de"))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := sessionstate.Decode(data, nil)
		if err != nil {
			return
		}
		nodes := NodesOf(st.DHT)
		if len(nodes) > maxSavedNodes {
			t.Fatalf("%d nodes", len(nodes))
		}
		id, _ := IDFor(st.DHT, netip.MustParseAddr("127.0.0.1"))
		ns := make([]Node, len(nodes))
		for i, ap := range nodes {
			ns[i] = Node{Addr: ap}
		}
		raw, err := sessionstate.Encode(sessionstate.State{DHT: StateOf(id, netip.Addr{}, ns)}, sessionstate.SaveDHTState)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		back, err := sessionstate.Decode(raw, nil)
		if err != nil {
			t.Fatalf("decode of our own state: %v", err)
		}
		if got := NodesOf(back.DHT); len(got) != len(nodes) {
			t.Fatalf("nodes %v, then %v", nodes, got)
		}
	})
}
