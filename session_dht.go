package actorrent

import (
	"context"
	"crypto/ed25519"
	"crypto/sha1"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/actorrent/actorrent/internal/bencodex"
	"github.com/actorrent/actorrent/internal/dhtstate"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/sessionactor"
)

// DHTSettings are libtorrent 1.0's dht_settings (session::set_dht_settings).
// The DHT is anacrolix/dht's: MaxTorrents, MaxPeers, EnforceNodeID and
// ReadOnly are honoured; the other fields are kept, saved and loaded but
// change nothing (each field's comment says why).
type DHTSettings = messages.DHTSettings

// DefaultDHTSettings are libtorrent's defaults.
func DefaultDHTSettings() DHTSettings { return dhtstate.DefaultSettings() }

// ErrDHTNotRunning: a DHT request (AddDHTNode, ForceDHTAnnounce) came
// while the DHT does not run.
var ErrDHTNotRunning = sessionactor.ErrDHTNotRunning

// StartDHT starts the DHT node (start_dht; the enable_dht setting, off by
// default, does the same). It binds UDP on the first listen address and
// its port (port 0 if that is taken, with a DHTErrorAlert saying so),
// bootstraps from dht_bootstrap_nodes, AddDHTRouter's routers and the
// nodes of a loaded state, and every started torrent that is not private
// then looks up peers and announces itself (with implied_port when the
// DHT has the listen port), every dht_announce_interval. Starting a
// running DHT does nothing.
func (s *Session) StartDHT(ctx context.Context) error {
	return s.dhtRequest(ctx, &messages.StartDHT{})
}

// StopDHT stops the DHT node; it returns once the node's socket is
// closed. Its node id and nodes are kept for the next StartDHT.
func (s *Session) StopDHT(ctx context.Context) error {
	return s.dhtRequest(ctx, &messages.StopDHT{})
}

// IsDHTRunning reports whether the DHT node runs (is_dht_running).
func (s *Session) IsDHTRunning(ctx context.Context) (bool, error) {
	r, err := s.request(ctx, &messages.IsDHTRunning{})
	if err != nil {
		return false, err
	}
	return r.(*messages.IsDHTRunningReply).Running, nil
}

// AddDHTNode gives the running DHT a node to contact (add_dht_node): it
// is pinged and kept if it answers. host may be a name (resolved on a
// goroutine; a failure is a DHTErrorAlert).
func (s *Session) AddDHTNode(ctx context.Context, host string, port int) error {
	return s.dhtRequest(ctx, &messages.AddDHTNode{Addr: net.JoinHostPort(host, strconv.Itoa(port))})
}

// AddDHTRouter adds a router (add_dht_router): a node the DHT starts from
// while its routing table is empty, never kept in it. It is kept for later
// starts too.
func (s *Session) AddDHTRouter(ctx context.Context, host string, port int) error {
	return s.dhtRequest(ctx, &messages.AddDHTNode{Addr: net.JoinHostPort(host, strconv.Itoa(port)), Router: true})
}

// SetDHTSettings replaces the DHT's settings (set_dht_settings); a running
// node whose honoured settings changed starts again with them.
func (s *Session) SetDHTSettings(ctx context.Context, set DHTSettings) error {
	return s.dhtRequest(ctx, &messages.SetDHTSettings{Settings: set})
}

// GetDHTSettings returns the DHT's settings (get_dht_settings).
func (s *Session) GetDHTSettings(ctx context.Context) (DHTSettings, error) {
	r, err := s.request(ctx, &messages.GetDHTSettings{})
	if err != nil {
		return DHTSettings{}, err
	}
	return r.(*messages.GetDHTSettingsReply).Settings, nil
}

// PostDHTStats asks for a DHTStatsAlert (post_dht_stats): the running
// lookups and the routing table's buckets (both empty while the DHT does
// not run).
func (s *Session) PostDHTStats(ctx context.Context) error {
	_, err := s.request(ctx, &messages.PostDHTStats{})
	return err
}

// ForceDHTAnnounce makes the torrent look up peers on the DHT and announce
// itself now (force_dht_announce). A torrent that does not use the DHT now
// (paused, private, checking) is left alone.
func (h TorrentHandle) ForceDHTAnnounce(ctx context.Context) error {
	if h.s == nil {
		return ErrInvalidHandle
	}
	return h.s.dhtRequest(ctx, &messages.ForceDHTAnnounce{InfoHash: h.ih})
}

// dhtRequest sends a DHT request and returns its error.
func (s *Session) dhtRequest(ctx context.Context, msg any) error {
	r, err := s.request(ctx, msg)
	if err != nil {
		return err
	}
	rep, ok := r.(*messages.DHTReply)
	if !ok {
		return nil
	}
	if errors.Is(rep.Err, messages.ErrTorrentNotFound) {
		return ErrInvalidHandle
	}
	return rep.Err
}

// maxDHTItem is BEP 44's limit on an item's bencoded value.
const maxDHTItem = 1000

// DHTGetItem looks up the immutable item (BEP 44) stored under target, the
// SHA-1 of its bencoding (dht_get_item); the answer is a
// DHTImmutableItemAlert, with a nil Item when no node had it. Mutable items
// are DHTGetMutableItem's.
func (s *Session) DHTGetItem(ctx context.Context, target [20]byte) error {
	return s.dhtRequest(ctx, &messages.DHTGetItem{Target: target})
}

// DHTPutItem stores an immutable item (BEP 44) on the DHT (dht_put_item):
// item is one bencoded value of at most 1000 bytes. It returns the item's
// target, the key DHTGetItem finds it by; a DHTPutAlert says how many of
// the nodes closest to it stored it. Mutable items are DHTPutMutableItem's.
func (s *Session) DHTPutItem(ctx context.Context, item []byte) ([20]byte, error) {
	if err := checkDHTItem(item); err != nil {
		return [20]byte{}, err
	}
	return sha1.Sum(item), s.dhtRequest(ctx, &messages.DHTPutItem{Item: append([]byte(nil), item...)})
}

// checkDHTItem: an item is one bencoded value of 1 to 1000 bytes.
func checkDHTItem(item []byte) error {
	if len(item) == 0 || len(item) > maxDHTItem {
		return fmt.Errorf("%w: a DHT item is 1 to %d bytes, not %d", ErrInvalidParams, maxDHTItem, len(item))
	}
	if n, err := bencodex.Scan(item, bencodex.Limits{}); err != nil || n != len(item) {
		return fmt.Errorf("%w: a DHT item is one bencoded value", ErrInvalidParams)
	}
	return nil
}

// maxDHTSalt is BEP 44's limit on a mutable item's salt.
const maxDHTSalt = 64

// DHTMutableItem is a mutable item (BEP 44) to put: Item, one bencoded
// value of at most 1000 bytes, signed with Key under Salt (at most 64
// bytes; several items of one key are told apart by it) with sequence
// number Seq, which must be higher than the one of the item it replaces.
// CAS, when not zero, is compare-and-swap: a node stores the item only if
// the one it holds has seq CAS (the seq read by DHTGetMutableItem), so
// that two writers cannot overwrite each other unseen.
type DHTMutableItem struct {
	Key  ed25519.PrivateKey
	Salt []byte
	Seq  int64
	CAS  int64
	Item []byte
}

// DHTPutMutableItem stores a mutable item (BEP 44) on the DHT
// (libtorrent's dht_put_item with a key): it returns the item's target,
// SHA-1(public key + salt); a DHTPutAlert says how many of the nodes
// closest to it stored it (none when they all refused its Seq or CAS).
func (s *Session) DHTPutMutableItem(ctx context.Context, it DHTMutableItem) ([20]byte, error) {
	if err := checkDHTItem(it.Item); err != nil {
		return [20]byte{}, err
	}
	if len(it.Key) != ed25519.PrivateKeySize {
		return [20]byte{}, fmt.Errorf("%w: an ed25519 private key is %d bytes, not %d", ErrInvalidParams, ed25519.PrivateKeySize, len(it.Key))
	}
	if len(it.Salt) > maxDHTSalt {
		return [20]byte{}, fmt.Errorf("%w: a DHT item's salt is at most %d bytes, not %d", ErrInvalidParams, maxDHTSalt, len(it.Salt))
	}
	if it.Seq < 0 || it.CAS < 0 {
		return [20]byte{}, fmt.Errorf("%w: a DHT item's seq and cas are not negative", ErrInvalidParams)
	}
	var pub [32]byte
	copy(pub[:], it.Key.Public().(ed25519.PublicKey))
	return DHTMutableTarget(pub, it.Salt), s.dhtRequest(ctx, &messages.DHTPutItem{
		Item: append([]byte(nil), it.Item...), Key: append(ed25519.PrivateKey(nil), it.Key...),
		Salt: append([]byte(nil), it.Salt...), Seq: it.Seq, CAS: it.CAS})
}

// DHTGetMutableItem looks up the mutable item (BEP 44) of the public key
// and salt (libtorrent's dht_get_item with a key); the answer is a
// DHTMutableItemAlert with the item of the highest seq found that key
// signed, or a nil Item when no node had one.
func (s *Session) DHTGetMutableItem(ctx context.Context, key [32]byte, salt []byte) error {
	if len(salt) > maxDHTSalt {
		return fmt.Errorf("%w: a DHT item's salt is at most %d bytes, not %d", ErrInvalidParams, maxDHTSalt, len(salt))
	}
	return s.dhtRequest(ctx, &messages.DHTGetItem{Key: key, Salt: append([]byte(nil), salt...)})
}

// DHTMutableTarget is a mutable item's target: SHA-1(key + salt).
func DHTMutableTarget(key [32]byte, salt []byte) [20]byte {
	return sha1.Sum(append(key[:], salt...))
}
