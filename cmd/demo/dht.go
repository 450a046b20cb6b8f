package main

import (
	"net"
	"strings"

	"github.com/actorrent/actorrent"
)

// dhtFlags are -dht and -dht-bootstrap: whether the session runs a DHT
// node (BEP 5) and where it starts from.
type dhtFlags struct {
	on        bool
	bootstrap string
}

// addDHTFlags registers -dht and -dht-bootstrap on fs.
func addDHTFlags(fs *flagSet) *dhtFlags {
	d := &dhtFlags{}
	fs.BoolVar(&d.on, "dht", false, "run a DHT node: the torrent looks up peers on the DHT and announces itself there "+
		"(on by default when no tracker and no -peer is given and -dht-bootstrap names a node)")
	fs.StringVar(&d.bootstrap, "dht-bootstrap", "", "`HOST:PORT,...`: DHT nodes to start from "+
		"(default: the dht_bootstrap_nodes setting, dht.libtorrent.org:25401)")
	return d
}

// check reports a -dht-bootstrap entry that is not host:port.
func (d *dhtFlags) check(cmd string) error {
	for _, n := range d.nodes() {
		if _, _, err := net.SplitHostPort(n); err != nil {
			return usageErrorf("%s: -dht-bootstrap %q: %v", cmd, n, err)
		}
	}
	return nil
}

func (d *dhtFlags) nodes() []string {
	var out []string
	for _, n := range strings.Split(d.bootstrap, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// applyTo turns the DHT on in the session's settings when -dht says so, or
// when the torrent has no other source of peers (no tracker, no peer) and
// a bootstrap node is named. A -set of the same settings wins.
func (d *dhtFlags) applyTo(ss *sessionSettings, otherSources bool) {
	on := d.on || (!otherSources && len(d.nodes()) > 0)
	if !on {
		return
	}
	if !ss.pack.Has("enable_dht") {
		ss.pack.SetBool(actorrent.EnableDHT, true)
	}
	if !ss.pack.Has("dht_bootstrap_nodes") && len(d.nodes()) > 0 {
		ss.pack.SetStr(actorrent.DHTBootstrapNodes, strings.Join(d.nodes(), ","))
	}
}
