// Package sessionstate reads and writes libtorrent's saved session state, the
// bencoded dictionary of session::save_state / load_state (and of 2.0's
// write_session_params / read_session_params), so that a state saved by
// libtorrent 2.0.8 loads in actorrent and ours loads in libtorrent. It is
// pure: bytes in, values out. The session actor owns the settings and decides
// what to apply; the settings table (names, kinds, defaults) is passed in.
//
// # The format, as libtorrent 2.0.8 writes and reads it
//
// The root is a dictionary. Its keys, and the flag that selects each one on
// save (libtorrent 2.0.8, src/session_impl.cpp save_state and
// src/session_params.cpp write_session_params):
//
//	"settings"    SaveSettings. Only the settings that differ from
//	              libtorrent's defaults (non_default_settings), keyed by
//	              their settings_pack name. Strings are byte strings, ints
//	              are integers, bools are the integers 0 and 1. With the
//	              flag the key is always written, as {} when nothing
//	              differs. write_session_params writes whatever pack it is
//	              given, non-default or not.
//	"dht"         SaveDHTSettings (deprecated in 2.0). The 1.x dht_settings
//	              struct: all 18 of its fields, defaults included, under
//	              their 1.x names ("max_peers_reply", "restrict_routing_ips",
//	              ...), bools as 0/1. Each is the settings_pack setting
//	              "dht_" + name, which "settings" also holds when it is not
//	              the default.
//	"dht state"   SaveDHTState, and only while the DHT runs. "node-id": a
//	              list of strings, each a 20-byte node id followed by the
//	              listen address it belongs to (4 bytes IPv4, 16 bytes
//	              IPv6); 1.x wrote a single 20-byte string instead.
//	              "nodes": a list of compact endpoints (6 bytes IPv4 or 18
//	              bytes IPv6, port big-endian); save_state puts both
//	              families there. "nodes6": the same, written only by
//	              write_session_params when the params hold IPv6 nodes.
//	"extensions"  SaveExtensionState, write_session_params only: plugin
//	              name -> opaque string. save_state instead lets each plugin
//	              add its own keys to the root, whatever the flags.
//	"ip_filter4"  SaveIPFilter, write_session_params only: a list of
//	"ip_filter6"  12-byte (first, last, flags) or 36-byte strings, addresses
//	              and flags big-endian, covering the whole address space
//	              (export_filter); omitted when empty.
//
// SaveProxy, SaveI2PProxy, SaveEncryptionSettings, SaveAsMap and SaveFeeds
// write nothing in 2.0.8: proxy and encryption settings are plain settings
// now, and AS maps and feeds are gone. 1.0 wrote them as "proxy",
// "encryption", "i2p", "AS map" and "feeds"; of those 2.0.8's load_state
// still reads "proxy" (with save_proxy) and "encryption" (always), and so
// does SettingsToLoad.
//
// The flag values are libtorrent 1.0's, the API this project follows:
// libtorrent 2.0 renumbered every flag past SaveDHTState (its save_proxy is
// 0x20, 1.0's save_encryption_settings), so flags cross to libtorrent 2.0 by
// name, never by number. SaveExtensionState and SaveIPFilter are 2.0's bits
// 11 and 12, which 1.0 left unused.
//
// # Loading
//
// libtorrent loads leniently and so do we: a key of the wrong type is as if
// absent; in "settings" a name that is unknown, or whose value has the wrong
// type (a string for an int setting, an int for a string setting, any list
// or dict) is skipped; an int for a bool setting is true when non-zero. When
// a name repeats in "settings" or "extensions", the last usable value wins;
// at the root and inside "dht" and "dht state" only the first occurrence of
// a key counts (dict_find).
// Node-id entries of another length than 24 or 36 bytes, endpoints of
// another length than 6 or 18, and filter ranges that are short or have
// first > last are skipped; a non-string inside "nodes" ends the list. Every
// such skip is reported in State.Ignored, never an error: the errors are for
// input that is not bencode, whose root is not a dictionary, or that exceeds
// the size limits. One deliberate difference: libtorrent truncates an int
// setting to a C int (2^32+5 loads as 5); Decode reports such a value as
// ignored instead of loading something else than what was written.
//
// session::load_state applies, in this order: "dht state" (with
// save_dht_state), "proxy" (with save_proxy), "encryption", "settings" (with
// save_settings or save_dht_settings) except user_agent and
// peer_fingerprint, which belong to the client software, then "dht" (with
// save_dht_settings), which therefore overrides "settings". SettingsToLoad
// and DHTStateToLoad compute that; the interop test checks it against
// libtorrent itself. (libtorrent restarts its DHT with the loaded "dht state"
// only when the same load applies no "settings"; otherwise the state waits
// for the DHT's next start. A caller need not copy that quirk.)
package sessionstate
