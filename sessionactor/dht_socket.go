package sessionactor

import (
	"fmt"
	"net"
	"strconv"

	"github.com/actorrent/actorrent/internal/utp"
	"github.com/actorrent/actorrent/messages"
)

// dhtSocket is where the DHT's UDP socket comes from: the one choice of
// it in the session. As libtorrent does, the DHT shares the first listen
// address's UDP socket with uTP: a virtual PacketConn of that socket gets
// the datagrams that look like the DHT's (utp.IsDHTDatagram: a bencoded
// dict), so the DHT answers on the listen port. Only when that address
// has no uTP socket (its UDP port was taken) does the DHT bind one of its
// own, on the listen port or else port 0, with a dht_error saying which
// port it got (libtorrent fails instead). Each call (a restarted DHT
// node) takes a new PacketConn; closing one drops its claim.
func dhtSocket(shared *utpSockets, listenAddrs []string, post func(messages.Alert)) func() (net.PacketConn, error) {
	own := ownDHTSocket(listenAddrs, post)
	return func() (net.PacketConn, error) {
		if len(listenAddrs) > 0 {
			if s := shared.at(listenAddrs[0]); s != nil {
				return s.PacketConn(utp.IsDHTDatagram), nil
			}
		}
		return own()
	}
}

// ownDHTSocket binds a UDP socket of the DHT's own (dhtSocket).
func ownDHTSocket(listenAddrs []string, post func(messages.Alert)) func() (net.PacketConn, error) {
	host, port := "0.0.0.0", 0
	if len(listenAddrs) > 0 {
		if h, p, err := net.SplitHostPort(listenAddrs[0]); err == nil {
			host = h
			port, _ = strconv.Atoi(p)
		}
	}
	network := "udp4"
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		network = "udp6"
	}
	return func() (net.PacketConn, error) {
		pc, err := net.ListenPacket(network, net.JoinHostPort(host, strconv.Itoa(port)))
		if err == nil || port == 0 {
			return pc, err
		}
		pc, err2 := net.ListenPacket(network, net.JoinHostPort(host, "0"))
		if err2 != nil {
			return nil, err2
		}
		post(&messages.DHTErrorAlert{AlertHeader: messages.Now(),
			Error: fmt.Errorf("udp port %d: %w; the DHT runs on %s", port, err, pc.LocalAddr())})
		return pc, nil
	}
}
