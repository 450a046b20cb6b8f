package dhtstate

import (
	"math"
	"net"
	"strings"
	"time"

	"github.com/actorrent/actorrent/internal/settings"
)

// Params are the session settings the DHT node acts on.
type Params struct {
	// SendPackets and SendBurst are the node's own send limit in packets a
	// second (dht_upload_rate_limit, bytes a second, over
	// avgPacketBytes): queries wait for it, replies over it are dropped,
	// as libtorrent's. Zero SendPackets: unlimited.
	SendPackets float64
	SendBurst   int
	// AnnounceInterval is how often a torrent announces
	// (dht_announce_interval).
	AnnounceInterval time.Duration
	// ActiveLimit bounds the lookups run at once (active_dht_limit; -1:
	// no limit).
	ActiveLimit int
	// Routers are dht_bootstrap_nodes, host:port each, the nodes a node
	// with an empty routing table starts from.
	Routers []string
}

// avgPacketBytes converts dht_upload_rate_limit to the server's packet
// limiter: a KRPC query is 60-120 bytes, a reply with nodes 250-450; 150
// makes libtorrent's default 4000 B/s about 26 packets a second, what a
// node that announces a few torrents and answers its neighbours needs.
const avgPacketBytes = 150

// ParamsOf reads the DHT's settings from a snapshot.
func ParamsOf(s *settings.Snapshot) Params {
	p := Params{
		AnnounceInterval: time.Duration(s.Int(settings.DHTAnnounceInterval)) * time.Second,
		ActiveLimit:      s.Int(settings.ActiveDHTLimit),
		Routers:          SplitHostPorts(s.Str(settings.DHTBootstrapNodes)),
	}
	if p.AnnounceInterval <= 0 {
		p.AnnounceInterval = 15 * time.Minute
	}
	if r := s.Int(settings.DHTUploadRateLimit); r > 0 {
		p.SendPackets = math.Max(float64(r)/avgPacketBytes, 1)
		p.SendBurst = max(r/avgPacketBytes, 5)
	}
	return p
}

// SplitHostPorts splits a comma-separated host:port list, dropping
// entries that are not host:port.
func SplitHostPorts(list string) []string {
	var out []string
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimSpace(e)
		if _, _, err := net.SplitHostPort(e); err == nil {
			out = append(out, e)
		}
	}
	return out
}
