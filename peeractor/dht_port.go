package peeractor

import (
	"net"
	"net/netip"

	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// dhtPorting is BEP 5's part of a connection. While the session runs a
// DHT node, our handshake sets the DHT reserved bit, and a peer that sets
// it too gets a PORT message with the node's UDP port after our bitfield
// (libtorrent's write_dht_port). A PORT from a peer gives our node a node
// to ping, the peer's IP at that port (libtorrent's incoming_dht_port →
// add_dht_node): how a DHT grows from the swarms it downloads in.
type dhtPorting struct{ *Actor }

// mark sets the DHT bit in our handshake while a node runs.
func (a dhtPorting) mark(hs *wire.Handshake) {
	if a.cfg.DHTPort.Get() > 0 {
		hs.Reserved[wire.ReservedDHTByte] |= wire.ReservedDHTBit
	}
}

// sendPort tells a peer that runs a DHT node where ours is.
func (a dhtPorting) sendPort(remote wire.Handshake) {
	port := a.cfg.DHTPort.Get()
	if port <= 0 || !remote.SupportsDHT() {
		return
	}
	a.w.control(func(buf []byte) []byte {
		return wire.AppendMessage(buf, wire.Message{ID: wire.Port, Port: uint16(port)})
	})
	a.stats.upload += 7 // length, id, port
	a.sent(stats.SesNumOutgoingDHTPort, 1)
}

// received hands a peer's DHT node to ours, through the torrent and the
// session; nothing while we run no node.
func (a dhtPorting) received(ctx actor.Context, port uint16) {
	if a.cfg.DHTPort.Get() <= 0 || port == 0 || a.conn == nil {
		return
	}
	ta, ok := a.conn.RemoteAddr().(interface{ AddrPort() netip.AddrPort })
	var ip netip.Addr
	if ok {
		ip = ta.AddrPort().Addr().Unmap()
	} else if h, _, err := net.SplitHostPort(a.conn.RemoteAddr().String()); err == nil {
		ip, _ = netip.ParseAddr(h)
	}
	if !ip.IsValid() {
		return
	}
	ctx.Send(ctx.Parent(), &messages.DHTNodeFromPeer{Addr: netip.AddrPortFrom(ip, port)})
}
