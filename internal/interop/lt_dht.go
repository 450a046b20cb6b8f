package interop

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"strconv"
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
	// PutMutable, when set, is a mutable item the node puts once
	// bootstrapped: an "item_put" event (Raw "seq", "num_success")
	// follows.
	PutMutable *LTMutablePut
	// GetMutable, when set, is a mutable item the node gets every 2 s
	// until one with seq at least MinSeq comes: a "mutable_item" event
	// (Raw "seq", "salt" in hex; Message, libtorrent's text of it).
	GetMutable *LTMutableGet
	Stderr     io.Writer
}

// LTMutablePut is a mutable item for libtorrent to put: the string Value
// (the binding's put makes the item's value a bencoded string), signed
// with the ed25519 key of Seed under Salt, with seq one more than the
// highest libtorrent finds.
type LTMutablePut struct {
	Seed  [32]byte
	Salt  []byte
	Value string
}

// LTMutableGet is a mutable item for libtorrent to get.
type LTMutableGet struct {
	Key    [32]byte
	Salt   []byte
	MinSeq int64
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
	if m := o.PutMutable; m != nil {
		pub := ed25519.NewKeyFromSeed(m.Seed[:]).Public().(ed25519.PublicKey)
		args = append(args, "--put-mutable", m.Value, "--key-seed", hex.EncodeToString(m.Seed[:]),
			"--key", hex.EncodeToString(pub), "--salt", hex.EncodeToString(m.Salt))
	}
	if m := o.GetMutable; m != nil {
		if o.PutMutable != nil && string(o.PutMutable.Salt) != string(m.Salt) {
			return nil, fmt.Errorf("%w: a node's mutable put and get share one salt", ErrBadOptions)
		}
		args = append(args, "--get-mutable", hex.EncodeToString(m.Key[:]), "--salt", hex.EncodeToString(m.Salt),
			"--min-seq", strconv.FormatInt(max(m.MinSeq, 1), 10))
	}
	return launch(ctx, "dht", args, listen, o.Stderr)
}
