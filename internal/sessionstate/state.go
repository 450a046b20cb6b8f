package sessionstate

import (
	"errors"
	"net/netip"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// State is a saved session state, taken apart. A nil map or pointer means
// the key is absent; an empty non-nil one means it is present and empty, so
// that a state libtorrent wrote re-encodes byte for byte.
type State struct {
	// Settings are the "settings" entries Decode could type with its
	// Kinds: name -> value.
	Settings map[string]Value
	// UnknownSettings are the other "settings" entries, raw: unknown
	// names, wrong types, ints outside int32. libtorrent skips them; they
	// are kept so that Encode writes them back, and their names are what
	// a caller reports. Decode never puts a name in both maps; Encode
	// writes one that is from Settings.
	UnknownSettings map[string]bencodex.Raw
	// DHTSettings is the legacy "dht" dict, keyed by the settings_pack
	// name each field stands for ("dht_max_peers_reply"...).
	DHTSettings map[string]Value
	// DHT is "dht state".
	DHT *DHTState
	// Extensions is "extensions": plugin name -> opaque state.
	Extensions map[string]string
	// IPFilter holds the ranges of "ip_filter4" and "ip_filter6" (each
	// range goes to the list of its family).
	IPFilter []IPRange
	// Other holds every other root key raw: the keys plugins write, 1.0's
	// "proxy", "encryption", "i2p", "AS map", "feeds". Encode writes them
	// whatever the flags (as save_state lets plugins do), except keys
	// Encode writes itself ("settings", "dht", ...), which are dropped.
	Other map[string]bencodex.Raw
	// Ignored lists what Decode skipped, as libtorrent's loader would; it
	// is a report for the caller and Encode does not read it.
	Ignored []Ignored
}

// DHTState is "dht state": the node ids to reuse and the nodes to contact
// first when the DHT starts.
type DHTState struct {
	NodeIDs []NodeID
	// Nodes and Nodes6 are "nodes" and "nodes6". libtorrent reads an
	// endpoint of either family in either list; save_state writes all of
	// them to "nodes".
	Nodes  []netip.AddrPort
	Nodes6 []netip.AddrPort
	// Other holds the dict's other keys raw.
	Other map[string]bencodex.Raw
}

// NodeID is a DHT node id and the local address it was used on. Addr is the
// zero netip.Addr for a 1.x state's single address-less id; Encode writes
// that back as 1.x did when it is the only id, and with address 0.0.0.0 (what
// libtorrent 2.0 writes for it) otherwise.
type NodeID struct {
	ID   [20]byte
	Addr netip.Addr
}

// IPRange is one range of an IP filter: addresses First..Last (one family)
// get Flags (1 is libtorrent's ip_filter::blocked).
type IPRange struct {
	First, Last netip.Addr
	Flags       uint32
}

// Ignored is one part of the input that Decode skipped: Key says where
// ("settings.foo", "dht state.nodes[3]"), Reason why.
type Ignored struct {
	Key    string
	Reason string
}

func (i Ignored) String() string { return i.Key + ": " + i.Reason }

// Sentinel errors. Every error Decode or Encode returns wraps one of them.
var (
	// ErrMalformed: the input is not bencode (the bencodex error is
	// wrapped too) or its root is not a dictionary.
	ErrMalformed = errors.New("sessionstate: malformed state")
	// ErrTooLarge: the input exceeds MaxSize or one of the count limits.
	ErrTooLarge = errors.New("sessionstate: state too large")
	// ErrInvalidState: Encode was given a State no state file can hold (a
	// value without a kind, an int outside int32, an invalid address, raw
	// bytes that are not one bencode value): a bug in the caller.
	ErrInvalidState = errors.New("sessionstate: invalid state")
)
