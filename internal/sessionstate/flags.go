package sessionstate

// Flags select the parts of the state that are saved or loaded: libtorrent
// 1.0's save_state_flags_t, with the two flags 2.0 added. The values are
// 1.0's; libtorrent 2.0 renumbered the ones past SaveDHTState, so map them
// by name when talking to it (see the package doc).
type Flags uint32

const (
	// SaveSettings saves the settings that differ from the defaults
	// ("settings").
	SaveSettings Flags = 0x001
	// SaveDHTSettings saves the legacy DHT settings dict ("dht").
	SaveDHTSettings Flags = 0x002
	// SaveDHTState saves the DHT node ids and nodes ("dht state").
	SaveDHTState Flags = 0x004
	// SaveProxy: 1.0's "proxy" dict. Saves nothing in 2.0.8 (the proxy
	// settings are in "settings"); on load it lets a 1.0 "proxy" dict in.
	SaveProxy Flags = 0x008
	// SaveI2PProxy: 1.0's "i2p" dict. Saves nothing in 2.0.8.
	SaveI2PProxy Flags = 0x010
	// SaveEncryptionSettings: 1.0's "encryption" dict. Saves nothing in
	// 2.0.8 (the pe settings are in "settings").
	SaveEncryptionSettings Flags = 0x020
	// SaveAsMap: 1.0's "AS map" (peak peers per AS). Saves nothing in 2.0.8.
	SaveAsMap Flags = 0x040
	// SaveFeeds: 1.0's RSS "feeds". Saves nothing in 2.0.8 (feeds are
	// gone; 2.0's bit 7 is an unrelated save_dht_proxy).
	SaveFeeds Flags = 0x080
	// SaveExtensionState saves "extensions", plugin name -> opaque state
	// (2.0's write_session_params; bit 11).
	SaveExtensionState Flags = 0x800
	// SaveIPFilter saves "ip_filter4" and "ip_filter6" (2.0's
	// write_session_params; bit 12).
	SaveIPFilter Flags = 0x1000
	// SaveAll is save_state's default flags argument, 0xffffffff.
	SaveAll Flags = 0xffffffff
)
