package interop

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net"
)

// DHTNodeOptions set up a libtorrent DHT node with no torrent (lt_peer.py's
// dht mode), for BEP 44 items.
type DHTNodeOptions struct {
	// Listen is the IP to listen on (port 0); give each node its own
	// 127.0.N.1 (see Options.DHTBootstrap).
	Listen string
	// Bootstrap are host:port DHT nodes to start from (at least one).
	Bootstrap []string
	// PutItem, when set, is a bencoded immutable item the node puts once
	// bootstrapped; an "item_put" event (Raw "target", "num_success")
	// follows its dht_put_alert.
	PutItem []byte
	// GetItem, when set, is a target the node gets every 2 s until an
	// item comes: an "item" event (Raw "target"; Message, the item as
	// libtorrent prints it: its Python binding cannot convert the item).
	GetItem *[20]byte
	Stderr  io.Writer
}

// StartDHTNode starts lt_peer.py in dht mode and returns once it listens.
func StartDHTNode(ctx context.Context, o DHTNodeOptions) (*Libtorrent, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	listen := o.Listen
	if listen == "" {
		listen = "127.0.0.1"
	}
	if net.ParseIP(listen) == nil {
		return nil, fmt.Errorf("%w: listen %q is not an IP", ErrBadOptions, listen)
	}
	if len(o.Bootstrap) == 0 {
		return nil, fmt.Errorf("%w: a DHT node needs a bootstrap node", ErrBadOptions)
	}
	args := []string{"dht", "--listen", net.JoinHostPort(listen, "0")}
	for _, n := range o.Bootstrap {
		if _, _, err := net.SplitHostPort(n); err != nil {
			return nil, fmt.Errorf("%w: DHT node %q: %v", ErrBadOptions, n, err)
		}
		args = append(args, "--dht-bootstrap", n)
	}
	if o.PutItem != nil {
		args = append(args, "--put-item", hex.EncodeToString(o.PutItem))
	}
	if o.GetItem != nil {
		args = append(args, "--get-item", hex.EncodeToString(o.GetItem[:]))
	}
	return launch(ctx, "dht", args, listen, o.Stderr)
}
