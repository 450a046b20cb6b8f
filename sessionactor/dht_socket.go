package sessionactor

import (
	"fmt"
	"net"
	"strconv"

	"github.com/actorrent/actorrent/messages"
)

// dhtSocket is where the DHT's UDP socket comes from: the one choice of
// it in the session. For now the DHT binds its own socket on the first
// listen address's IP and port, as libtorrent 1.0 runs its DHT on the
// listen port; when that UDP port is taken it binds port 0, and posts a
// dht_error saying which port it got (libtorrent fails instead). When
// uTP's shared socket lands, this becomes that socket's PacketConn with a
// claim on the DHT's packets (bencoded dicts), so that the DHT and uTP
// answer on the listen port together.
func dhtSocket(listenAddrs []string, post func(messages.Alert)) func() (net.PacketConn, error) {
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
