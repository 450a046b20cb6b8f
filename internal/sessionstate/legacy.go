package sessionstate

// The dicts of 1.x that 2.0.8 still reads. Their fields have fixed names and
// kinds (libtorrent's dht_settings.cpp and session_impl.cpp load_state), so
// they are tables here rather than something the caller passes.

// legacyField is one field of a legacy dict: its key there, the setting it
// stands for, and the setting's kind.
type legacyField struct {
	key     string
	setting string
	kind    Kind
}

// legacyDHT is the "dht" dict: the 1.x dht_settings struct, in the order
// libtorrent reads it. Each field is the setting "dht_" + key.
var legacyDHT = []legacyField{
	{"max_peers_reply", "dht_max_peers_reply", KindInt},
	{"search_branching", "dht_search_branching", KindInt},
	{"max_fail_count", "dht_max_fail_count", KindInt},
	{"max_torrents", "dht_max_torrents", KindInt},
	{"max_dht_items", "dht_max_dht_items", KindInt},
	{"max_peers", "dht_max_peers", KindInt},
	{"max_torrent_search_reply", "dht_max_torrent_search_reply", KindInt},
	{"restrict_routing_ips", "dht_restrict_routing_ips", KindBool},
	{"restrict_search_ips", "dht_restrict_search_ips", KindBool},
	{"extended_routing_table", "dht_extended_routing_table", KindBool},
	{"aggressive_lookups", "dht_aggressive_lookups", KindBool},
	{"privacy_lookups", "dht_privacy_lookups", KindBool},
	{"enforce_node_id", "dht_enforce_node_id", KindBool},
	{"ignore_dark_internet", "dht_ignore_dark_internet", KindBool},
	{"block_timeout", "dht_block_timeout", KindInt},
	{"block_ratelimit", "dht_block_ratelimit", KindInt},
	{"read_only", "dht_read_only", KindBool},
	{"item_lifetime", "dht_item_lifetime", KindInt},
}

// legacyProxy is 1.0's "proxy" dict (proxy_settings).
var legacyProxy = []legacyField{
	{"port", "proxy_port", KindInt},
	{"type", "proxy_type", KindInt},
	{"proxy_hostnames", "proxy_hostnames", KindBool},
	{"proxy_peer_connections", "proxy_peer_connections", KindBool},
	{"hostname", "proxy_hostname", KindString},
	{"password", "proxy_password", KindString},
	{"username", "proxy_username", KindString},
}

// legacyEncryption is 1.0's "encryption" dict (pe_settings).
var legacyEncryption = []legacyField{
	{"prefer_rc4", "prefer_rc4", KindBool},
	{"out_enc_policy", "out_enc_policy", KindInt},
	{"in_enc_policy", "in_enc_policy", KindInt},
	{"allowed_enc_level", "allowed_enc_level", KindInt},
}

// legacyDHTBySetting finds the "dht" field of a setting name.
func legacyDHTBySetting(setting string) (legacyField, bool) {
	for _, f := range legacyDHT {
		if f.setting == setting {
			return f, true
		}
	}
	return legacyField{}, false
}

// readLegacy reads the fields of a legacy dict as libtorrent does: the first
// occurrence of each key, used only if it has the field's bencode type
// (dict_find_int / dict_find_string). ignore is called for every entry not
// used, with the dict's key and why.
func readLegacy(raw []byte, fields []legacyField, ignore func(key, reason string)) map[string]Value {
	out := map[string]Value{}
	seen := map[string]bool{}
	_, _ = dictEach(raw, func(key string, v []byte) (bool, error) {
		f, known := legacyFieldByKey(fields, key)
		switch {
		case !known:
			ignore(key, "unknown key")
		case seen[key]:
			ignore(key, "repeated key: the first one counts")
		default:
			seen[key] = true
			val, reason := typed(v, f.kind)
			if reason != "" {
				ignore(key, reason)
				return true, nil
			}
			out[f.setting] = val
		}
		return true, nil
	})
	return out
}

func legacyFieldByKey(fields []legacyField, key string) (legacyField, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return legacyField{}, false
}
