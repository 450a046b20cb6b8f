package dhtstate

import (
	"sync"

	"github.com/anacrolix/dht/v2/krpc"
	"github.com/anacrolix/torrent/metainfo"
)

// PeerStore holds the peers other nodes announce to our node, what we
// answer get_peers with. The server's own in-memory store grows without
// bound (a node flooding announce_peer with made-up info-hashes would fill
// memory); this one keeps at most maxTorrents info-hashes (dht_max_torrents)
// of at most maxPeers peers each (dht_max_peers), one per IP as
// libtorrent's, dropping the oldest past either. The server calls it from
// its own goroutines: it locks.
type PeerStore struct {
	mu                    sync.Mutex
	maxTorrents, maxPeers int
	torrents              map[metainfo.Hash]*storedTorrent
	order                 []metainfo.Hash // oldest first
}

type storedTorrent struct {
	peers map[string]krpc.NodeAddr // by IP
	order []string                 // oldest first
}

// NewPeerStore returns an empty store with the limits (at least 1 each).
func NewPeerStore(maxTorrents, maxPeers int) *PeerStore {
	return &PeerStore{maxTorrents: max(maxTorrents, 1), maxPeers: max(maxPeers, 1), torrents: map[metainfo.Hash]*storedTorrent{}}
}

// AddPeer stores a peer announced for ih (its address replaces the one
// stored for the same IP).
func (s *PeerStore) AddPeer(ih metainfo.Hash, na krpc.NodeAddr) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.torrents[ih]
	if t == nil {
		if len(s.order) >= s.maxTorrents {
			delete(s.torrents, s.order[0])
			s.order = s.order[1:]
		}
		t = &storedTorrent{peers: map[string]krpc.NodeAddr{}}
		s.torrents[ih] = t
		s.order = append(s.order, ih)
	}
	key := string(na.IP.To16())
	if _, ok := t.peers[key]; !ok {
		if len(t.order) >= s.maxPeers {
			delete(t.peers, t.order[0])
			t.order = t.order[1:]
		}
		t.order = append(t.order, key)
	}
	t.peers[key] = na
}

// GetPeers returns the peers stored for ih.
func (s *PeerStore) GetPeers(ih metainfo.Hash) []krpc.NodeAddr {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.torrents[ih]
	if t == nil {
		return nil
	}
	out := make([]krpc.NodeAddr, 0, len(t.order))
	for _, k := range t.order {
		out = append(out, t.peers[k])
	}
	return out
}

// NumPeers is how many peers are stored, over every info-hash
// (dht.dht_peers).
func (s *PeerStore) NumPeers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.torrents {
		n += len(t.peers)
	}
	return n
}

// NumTorrents is how many info-hashes have peers stored (dht_torrents).
func (s *PeerStore) NumTorrents() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.torrents)
}
