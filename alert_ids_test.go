package actorrent

import (
	"reflect"
	"testing"
)

// libtorrentAlertIDs are libtorrent's alert type ids by what() name (1.1
// and later: fixed small integers; alerts_dropped is 2.0's; ours start at
// user_alert_id, 10000), copied from libtorrent's alert_types.hpp, not
// from our code.
var libtorrentAlertIDs = map[string]int{
	"peer_blocked": 54, "metadata_received": 45, "metadata_failed": 44,
	"peer_connect": 23, "peer_disconnected": 24, "peer_error": 22, "peer_ban": 19,
	"listen_succeeded": 49, "listen_failed": 48, "alerts_dropped": 95,
	"save_resume_data": 37, "save_resume_data_failed": 38, "fastresume_rejected": 53,
	"storage_moved": 33, "storage_moved_failed": 34, "file_renamed": 7, "file_rename_failed": 8,
	"actor_failed": 10000, "fault_injected": 10001,
	"add_torrent": 67, "torrent_added": 3, "torrent_removed": 4, "torrent_deleted": 35,
	"torrent_delete_failed": 36, "state_changed": 10, "torrent_checked": 41,
	"torrent_finished": 26, "torrent_paused": 39, "torrent_resumed": 40, "torrent_error": 64,
	"file_error": 43, "piece_finished": 27, "incoming_connection": 66, "file_completed": 6, "read_piece": 5, "external_ip": 47,
	"hash_failed": 18, "tracker_error": 11, "tracker_warning": 12, "scrape_reply": 13,
	"scrape_failed": 14, "tracker_reply": 15, "tracker_announce": 17, "trackerid": 61,
	"session_stats": 70, "stats": 57,
	"invalid_request": 25, "block_timeout": 29, "block_finished": 30, "block_downloading": 31,
	"unwanted_block": 32, "performance": 9, "cache_flushed": 58,
	"state_update": 68, "peer_unsnubbed": 20, "peer_snubbed": 21,
	"lsd_peer": 60, "lsd_error": 82,
	"portmap_error": 50, "portmap": 51, "portmap_log": 52,
	"dht_reply": 16, "dht_announce": 55, "dht_get_peers": 56, "dht_bootstrap": 62, "dht_error": 73, "dht_stats": 83,
	"dht_immutable_item": 74, "dht_mutable_item": 75, "dht_put": 76,
}

// TestAlertTypeIDsAreLibtorrents: a program that switches on Type() as it
// would on libtorrent's alert::type() gets the same answers, for every
// alert type the facade has (a new alert must be added to the table).
func TestAlertTypeIDsAreLibtorrents(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range alertTypes {
		want, ok := libtorrentAlertIDs[a.What()]
		if !ok {
			t.Errorf("%T (%s) has no libtorrent id in the test's table", a, a.What())
			continue
		}
		if seen[a.What()] {
			t.Errorf("two alert types are %q", a.What())
		}
		seen[a.What()] = true
		if got := a.Type(); got != want {
			t.Errorf("%s: Type() = %d, libtorrent's is %d", a.What(), got, want)
		}
	}
}

// TestTorrentAlertsCarryTheHandle: every alert type with an info-hash is
// a TorrentAlert, and none without, except libtorrent's alerts about an
// info-hash some other DHT node named (dht_announce, dht_get_peers): a
// torrent not in the session, so no handle.
func TestTorrentAlertsCarryTheHandle(t *testing.T) {
	notTorrents := map[string]bool{"dht_announce": true, "dht_get_peers": true}
	for _, a := range alertTypes {
		_, hasIH := reflect.TypeOf(a).FieldByName("InfoHash")
		hasIH = hasIH && !notTorrents[a.What()]
		_, isTA := a.(TorrentAlert)
		if hasIH != isTA {
			t.Errorf("%T: has an info-hash %v, is a TorrentAlert %v", a, hasIH, isTA)
		}
	}
}
