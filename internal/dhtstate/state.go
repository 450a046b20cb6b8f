package dhtstate

import (
	"net/netip"

	"github.com/actorrent/actorrent/internal/sessionstate"
)

// Node is a DHT node we know: its id (zero when unknown) and address.
type Node struct {
	ID   [20]byte
	Addr netip.AddrPort
}

// maxSavedNodes bounds the nodes a saved state gets (libtorrent saves its
// routing table and replacement cache: a few hundred at most).
const maxSavedNodes = 400

// StateOf is the "dht state" of a node with id on local (the address its
// socket is bound to; an unspecified one is written as libtorrent 2.0
// writes an id without an interface: 0.0.0.0) knowing nodes. Nodes of
// both families go to "nodes", as save_state writes them.
func StateOf(id [20]byte, local netip.Addr, nodes []Node) *sessionstate.DHTState {
	if !local.IsValid() {
		local = netip.IPv4Unspecified()
	}
	st := &sessionstate.DHTState{NodeIDs: []sessionstate.NodeID{{ID: id, Addr: local.Unmap()}}, Nodes: []netip.AddrPort{}}
	for _, n := range nodes {
		if len(st.Nodes) == maxSavedNodes {
			break
		}
		if n.Addr.IsValid() && n.Addr.Port() != 0 {
			st.Nodes = append(st.Nodes, netip.AddrPortFrom(n.Addr.Addr().Unmap(), n.Addr.Port()))
		}
	}
	return st
}

// IDFor picks the node id a state gives a node on local: the id saved for
// that address, else one saved without an address (1.x) or for an
// unspecified one, else the first of local's family; false when the state
// has none.
func IDFor(st *sessionstate.DHTState, local netip.Addr) ([20]byte, bool) {
	if st == nil || len(st.NodeIDs) == 0 {
		return [20]byte{}, false
	}
	local = local.Unmap()
	best, bestRank := st.NodeIDs[0].ID, 0
	for _, n := range st.NodeIDs {
		a := n.Addr.Unmap()
		rank := 0
		switch {
		case a.IsValid() && a == local:
			return n.ID, true
		case !a.IsValid() || a.IsUnspecified():
			rank = 2
		case a.Is4() == local.Is4():
			rank = 1
		}
		if rank > bestRank {
			best, bestRank = n.ID, rank
		}
	}
	return best, true
}

// NodesOf are the nodes a state names ("nodes" then "nodes6"), without
// duplicates or unusable addresses, at most maxSavedNodes.
func NodesOf(st *sessionstate.DHTState) []netip.AddrPort {
	if st == nil {
		return nil
	}
	seen := map[netip.AddrPort]bool{}
	var out []netip.AddrPort
	for _, list := range [][]netip.AddrPort{st.Nodes, st.Nodes6} {
		for _, ap := range list {
			ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
			if !ap.IsValid() || ap.Port() == 0 || ap.Addr().IsUnspecified() || seen[ap] || len(out) == maxSavedNodes {
				continue
			}
			seen[ap] = true
			out = append(out, ap)
		}
	}
	return out
}
