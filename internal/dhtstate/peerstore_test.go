package dhtstate

import (
	"net"
	"testing"

	"github.com/anacrolix/dht/v2/krpc"
	"github.com/anacrolix/torrent/metainfo"
)

func TestPeerStoreIsBounded(t *testing.T) {
	s := NewPeerStore(2, 3)
	h := func(b byte) metainfo.Hash { return metainfo.Hash{b} }
	peer := func(last byte, port int) krpc.NodeAddr {
		return krpc.NodeAddr{IP: net.IPv4(10, 0, 0, last), Port: port}
	}
	for i := byte(1); i <= 5; i++ {
		s.AddPeer(h(1), peer(i, 1000))
	}
	s.AddPeer(h(1), peer(5, 2000)) // same IP: replaces, keeps its place
	got := s.GetPeers(h(1))
	if len(got) != 3 || !got[0].IP.Equal(net.IPv4(10, 0, 0, 3)) || got[2].Port != 2000 {
		t.Fatalf("peers = %v", got)
	}
	s.AddPeer(h(2), peer(1, 1))
	s.AddPeer(h(3), peer(1, 1)) // over 2 torrents: the oldest goes
	if s.NumTorrents() != 2 || s.GetPeers(h(1)) != nil || len(s.GetPeers(h(3))) != 1 {
		t.Fatalf("torrents = %d, h1 %v", s.NumTorrents(), s.GetPeers(h(1)))
	}
}
