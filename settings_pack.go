package actorrent

import (
	"fmt"
	"runtime"
	"sort"
)

// StrSetting, IntSetting and BoolSetting are the typed keys of a
// SettingsPack; their values are libtorrent's setting names.
type (
	StrSetting  string
	IntSetting  string
	BoolSetting string
)

// The settings the engine honours today, by libtorrent name.
const (
	// ListenInterfaces: comma-separated host:port pairs to listen on; port
	// 0 picks a free one. Default "0.0.0.0:6881".
	ListenInterfaces StrSetting = "listen_interfaces"
	// PeerFingerprint: the peer-id prefix. Default "-AR0001-".
	PeerFingerprint StrSetting = "peer_fingerprint"
	// UserAgent: the client name. Default "actorrent/0.1".
	UserAgent StrSetting = "user_agent"

	// AlertMask: which alert categories are queued. Default
	// CategoryError, as libtorrent.
	AlertMask IntSetting = "alert_mask"
	// AlertQueueSize bounds the alert queue. Default 1000.
	AlertQueueSize IntSetting = "alert_queue_size"
	// CacheSize: the disk cache in 16 KiB blocks. Default 2048 (32 MiB).
	CacheSize IntSetting = "cache_size"
	// MaxQueuedDiskBytes: per-torrent bytes handed to the disk and not
	// yet written before peers stop being read. Default 16 MiB
	// (libtorrent: 1 MiB; ours is sized for 1 MiB pieces at line rate).
	MaxQueuedDiskBytes IntSetting = "max_queued_disk_bytes"
	// HashingThreads: disk workers that hash and do I/O. Default: cores.
	HashingThreads IntSetting = "hashing_threads"
	// ActiveChecking: torrents whose files are checked at once; the
	// others wait in queued_for_checking. Default 1; -1 means no limit.
	ActiveChecking IntSetting = "active_checking"
	// ConnectionsLimit: peer connections of the whole session, all
	// torrents together (as libtorrent). Default 200.
	ConnectionsLimit IntSetting = "connections_limit"
	// ConnectionSpeed: connections a torrent opens to peers from its
	// list per second. Default 30.
	ConnectionSpeed IntSetting = "connection_speed"
	// MaxPeerlistSize: peers a torrent remembers (list_peers); 0 means
	// no limit. Default 3000.
	MaxPeerlistSize IntSetting = "max_peerlist_size"
	// MaxFailcount: failed connections before a peer is forgotten.
	// Default 3.
	MaxFailcount IntSetting = "max_failcount"
	// MinReconnectTime: seconds before a failed peer is tried again,
	// multiplied by its fail count. Default 60.
	MinReconnectTime IntSetting = "min_reconnect_time"
	// FilePoolSize: open files per torrent. Default 40.
	FilePoolSize IntSetting = "file_pool_size"
	// OptimisticDiskRetry: seconds an auto-managed torrent stays in upload
	// mode after a full disk before it downloads again. Default 600.
	OptimisticDiskRetry IntSetting = "optimistic_disk_retry"

	// Tracker settings (libtorrent names and defaults).

	// TrackerCompletionTimeout: seconds one announce or scrape may take.
	// Default 30.
	TrackerCompletionTimeout IntSetting = "tracker_completion_timeout"
	// TrackerReceiveTimeout: seconds of silence allowed while waiting for
	// a tracker (the UDP retransmission wait too). Default 10.
	TrackerReceiveTimeout IntSetting = "tracker_receive_timeout"
	// StopTrackerTimeout: seconds a stopped announce may take; removing a
	// torrent and Session.Close wait no longer for them. Default 5.
	StopTrackerTimeout IntSetting = "stop_tracker_timeout"
	// TrackerMaximumResponseLength: bytes of a tracker reply (after
	// decompression). Default 1 MiB.
	TrackerMaximumResponseLength IntSetting = "tracker_maximum_response_length"
	// NumWant: peers asked for per announce. Default 200.
	NumWant IntSetting = "num_want"
	// MinAnnounceInterval: seconds; the least time between announces to a
	// tracker, whatever it says. Default 300.
	MinAnnounceInterval IntSetting = "min_announce_interval"
	// TrackerBackoff: percent factor x of the retry delay after n failures
	// in a row, 5 s·(1 + x/100·n²). Default 250.
	TrackerBackoff IntSetting = "tracker_backoff"

	// AnnounceToAllTiers announces to one tracker in every tier, not only
	// the first tier with a working tracker. Default false.
	AnnounceToAllTiers BoolSetting = "announce_to_all_tiers"
	// AnnounceToAllTrackers announces to every tracker of a tier in
	// parallel. Default false.
	AnnounceToAllTrackers BoolSetting = "announce_to_all_trackers"
)

var strDefaults = map[StrSetting]string{
	ListenInterfaces: "0.0.0.0:6881",
	PeerFingerprint:  "-AR0001-",
	UserAgent:        "actorrent/0.1",
}

var intDefaults = map[IntSetting]int{
	AlertMask:           int(CategoryError),
	AlertQueueSize:      1000,
	CacheSize:           2048,
	MaxQueuedDiskBytes:  16 << 20,
	HashingThreads:      runtime.NumCPU(),
	ActiveChecking:      1,
	OptimisticDiskRetry: 600,
	ConnectionsLimit:    200,
	ConnectionSpeed:     30,
	MaxPeerlistSize:     3000,
	MaxFailcount:        3,
	MinReconnectTime:    60,
	FilePoolSize:        40,

	TrackerCompletionTimeout:     30,
	TrackerReceiveTimeout:        10,
	StopTrackerTimeout:           5,
	TrackerMaximumResponseLength: 1 << 20,
	NumWant:                      200,
	MinAnnounceInterval:          300,
	TrackerBackoff:               250,
}

var boolDefaults = map[BoolSetting]bool{
	AnnounceToAllTiers:    false,
	AnnounceToAllTrackers: false,
}

// SettingsPack holds session settings by name (libtorrent's
// settings_pack). The zero value is empty; DefaultSettings is the usual
// start. A pack is a value: copying it copies the settings.
type SettingsPack struct {
	strs  map[StrSetting]string
	ints  map[IntSetting]int
	bools map[BoolSetting]bool
}

// DefaultSettings returns every known setting at its default.
func DefaultSettings() SettingsPack {
	p := SettingsPack{}
	for k, v := range strDefaults {
		p.SetStr(k, v)
	}
	for k, v := range intDefaults {
		p.SetInt(k, v)
	}
	for k, v := range boolDefaults {
		p.SetBool(k, v)
	}
	return p
}

// SetStr sets a string setting.
func (p *SettingsPack) SetStr(k StrSetting, v string) {
	if p.strs == nil {
		p.strs = map[StrSetting]string{}
	}
	p.strs[k] = v
}

// SetInt sets an integer setting.
func (p *SettingsPack) SetInt(k IntSetting, v int) {
	if p.ints == nil {
		p.ints = map[IntSetting]int{}
	}
	p.ints[k] = v
}

// SetBool sets a boolean setting.
func (p *SettingsPack) SetBool(k BoolSetting, v bool) {
	if p.bools == nil {
		p.bools = map[BoolSetting]bool{}
	}
	p.bools[k] = v
}

// Str returns a string setting, or its default when unset.
func (p SettingsPack) Str(k StrSetting) string {
	if v, ok := p.strs[k]; ok {
		return v
	}
	return strDefaults[k]
}

// Int returns an integer setting, or its default when unset.
func (p SettingsPack) Int(k IntSetting) int {
	if v, ok := p.ints[k]; ok {
		return v
	}
	return intDefaults[k]
}

// Bool returns a boolean setting, or its default when unset.
func (p SettingsPack) Bool(k BoolSetting) bool {
	if v, ok := p.bools[k]; ok {
		return v
	}
	return boolDefaults[k]
}

// SetByName sets a setting by its libtorrent name; the value must have the
// setting's type (string, int or bool). Unknown names and wrong types give
// ErrInvalidSetting.
func (p *SettingsPack) SetByName(name string, v any) error {
	if _, ok := strDefaults[StrSetting(name)]; ok {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%w: %s takes a string, not %T", ErrInvalidSetting, name, v)
		}
		p.SetStr(StrSetting(name), s)
		return nil
	}
	if _, ok := intDefaults[IntSetting(name)]; ok {
		i, ok := v.(int)
		if !ok {
			return fmt.Errorf("%w: %s takes an int, not %T", ErrInvalidSetting, name, v)
		}
		p.SetInt(IntSetting(name), i)
		return nil
	}
	if _, ok := boolDefaults[BoolSetting(name)]; ok {
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%w: %s takes a bool, not %T", ErrInvalidSetting, name, v)
		}
		p.SetBool(BoolSetting(name), b)
		return nil
	}
	return fmt.Errorf("%w: unknown setting %q", ErrInvalidSetting, name)
}

// SettingNames lists every setting the engine knows, sorted.
func SettingNames() []string {
	var out []string
	for k := range strDefaults {
		out = append(out, string(k))
	}
	for k := range intDefaults {
		out = append(out, string(k))
	}
	for k := range boolDefaults {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}
