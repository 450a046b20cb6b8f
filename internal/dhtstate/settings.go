package dhtstate

import "github.com/actorrent/actorrent/internal/sessionstate"

// Settings are libtorrent 1.0's dht_settings, Go-cased, with 1.0's
// defaults (DefaultSettings). The anacrolix/dht server has k=8 buckets, a
// fixed branching factor and no DoS blocker, so most fields cannot be
// acted on; each field says whether it is honoured. Those that are not
// are kept, saved and loaded (SaveState's "dht" dict) so that a state
// round-trips through libtorrent unchanged.
type Settings struct {
	// MaxPeersReply: no-op (the server answers get_peers with every peer
	// it stores for the info-hash, at most MaxPeers of them).
	MaxPeersReply int
	// SearchBranching: no-op (the traversal's alpha is fixed).
	SearchBranching int
	// ServicePort: deprecated in 1.0; no-op (the DHT uses the listen
	// port, sessionactor/dht_socket.go).
	ServicePort int
	// MaxFailCount: no-op (the server drops a node after its own count of
	// failed pings).
	MaxFailCount int
	// MaxTorrents: honoured, the info-hashes our node stores peers for
	// (PeerStore); the oldest is dropped past it.
	MaxTorrents int
	// MaxDHTItems: honoured, the BEP 44 items our node stores for others
	// (ItemStore); the oldest is dropped past it.
	MaxDHTItems int
	// MaxPeers: honoured, the peers stored per info-hash (2.0's
	// dht_max_peers; 1.0 had a fixed 5000).
	MaxPeers int
	// MaxTorrentSearchReply: no-op (no BEP 33 scrape replies).
	MaxTorrentSearchReply int
	// RestrictRoutingIPs, RestrictSearchIPs: no-op (the server has no
	// such restriction: several nodes on one IP are all kept).
	RestrictRoutingIPs, RestrictSearchIPs bool
	// ExtendedRoutingTable, AggressiveLookups, PrivacyLookups: no-op.
	ExtendedRoutingTable, AggressiveLookups, PrivacyLookups bool
	// EnforceNodeID: honoured; nodes whose id does not match their IP
	// (BEP 42) are not used (the server's security check; loopback and
	// LAN addresses are exempt).
	EnforceNodeID bool
	// IgnoreDarkInternet: no-op.
	IgnoreDarkInternet bool
	// BlockTimeout, BlockRatelimit: no-op (no per-IP DoS blocker; the
	// node's replies are bounded by dht_upload_rate_limit).
	BlockTimeout, BlockRatelimit int
	// ReadOnly: honoured (BEP 43): the node answers no query. It takes
	// effect when the node starts (SetDHTSettings restarts a running one).
	ReadOnly bool
	// ItemLifetime: no-op (BEP 44 items are not served yet).
	ItemLifetime int
}

// DefaultSettings are libtorrent 1.0's (and 2.0.8's) defaults.
func DefaultSettings() Settings {
	return Settings{
		MaxPeersReply: 100, SearchBranching: 5, MaxFailCount: 20, MaxTorrents: 2000,
		MaxDHTItems: 700, MaxPeers: 500, MaxTorrentSearchReply: 20,
		RestrictRoutingIPs: true, RestrictSearchIPs: true, ExtendedRoutingTable: true,
		AggressiveLookups: true, IgnoreDarkInternet: true, BlockTimeout: 300, BlockRatelimit: 5,
	}
}

// field ties a Settings field to its settings_pack name ("dht_" + the 1.x
// field name, as save_state writes it).
type field struct {
	name string
	i    func(*Settings) *int
	b    func(*Settings) *bool
}

var fields = []field{
	{name: "dht_max_peers_reply", i: func(s *Settings) *int { return &s.MaxPeersReply }},
	{name: "dht_search_branching", i: func(s *Settings) *int { return &s.SearchBranching }},
	{name: "dht_max_fail_count", i: func(s *Settings) *int { return &s.MaxFailCount }},
	{name: "dht_max_torrents", i: func(s *Settings) *int { return &s.MaxTorrents }},
	{name: "dht_max_dht_items", i: func(s *Settings) *int { return &s.MaxDHTItems }},
	{name: "dht_max_peers", i: func(s *Settings) *int { return &s.MaxPeers }},
	{name: "dht_max_torrent_search_reply", i: func(s *Settings) *int { return &s.MaxTorrentSearchReply }},
	{name: "dht_restrict_routing_ips", b: func(s *Settings) *bool { return &s.RestrictRoutingIPs }},
	{name: "dht_restrict_search_ips", b: func(s *Settings) *bool { return &s.RestrictSearchIPs }},
	{name: "dht_extended_routing_table", b: func(s *Settings) *bool { return &s.ExtendedRoutingTable }},
	{name: "dht_aggressive_lookups", b: func(s *Settings) *bool { return &s.AggressiveLookups }},
	{name: "dht_privacy_lookups", b: func(s *Settings) *bool { return &s.PrivacyLookups }},
	{name: "dht_enforce_node_id", b: func(s *Settings) *bool { return &s.EnforceNodeID }},
	{name: "dht_ignore_dark_internet", b: func(s *Settings) *bool { return &s.IgnoreDarkInternet }},
	{name: "dht_block_timeout", i: func(s *Settings) *int { return &s.BlockTimeout }},
	{name: "dht_block_ratelimit", i: func(s *Settings) *int { return &s.BlockRatelimit }},
	{name: "dht_read_only", b: func(s *Settings) *bool { return &s.ReadOnly }},
	{name: "dht_item_lifetime", i: func(s *Settings) *int { return &s.ItemLifetime }},
}

// Values are the settings by settings_pack name, as the state codec
// writes them (the "dht" dict of save_state).
func (s Settings) Values() map[string]sessionstate.Value {
	out := make(map[string]sessionstate.Value, len(fields))
	for _, f := range fields {
		if f.i != nil {
			out[f.name] = sessionstate.IntValue(*f.i(&s))
		} else {
			out[f.name] = sessionstate.BoolValue(*f.b(&s))
		}
	}
	return out
}

// IsField reports whether name is one of the dht_settings fields.
func IsField(name string) bool {
	for _, f := range fields {
		if f.name == name {
			return true
		}
	}
	return false
}

// Apply sets the fields vals names to their values and returns the names
// it applied; a value of the wrong kind is left out (and not returned).
func (s *Settings) Apply(vals map[string]sessionstate.Value) []string {
	var applied []string
	for _, f := range fields {
		v, ok := vals[f.name]
		if !ok {
			continue
		}
		switch {
		case f.i != nil && v.Kind == sessionstate.KindInt:
			*f.i(s) = v.Int
		case f.b != nil && v.Kind == sessionstate.KindBool:
			*f.b(s) = v.Bool
		default:
			continue
		}
		applied = append(applied, f.name)
	}
	return applied
}
