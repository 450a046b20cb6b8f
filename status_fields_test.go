package actorrent

import (
	"reflect"
	"strings"
	"testing"
)

// libtorrent 1.0's torrent_status members (but handle, which is
// TorrentStatus.Handle) and session_status members, by their C++ names,
// copied from libtorrent's headers, not from our code.
var (
	libtorrentTorrentStatus = strings.Fields(`error save_path name torrent_file next_announce announce_interval
		current_tracker total_download total_upload total_payload_download total_payload_upload
		total_failed_bytes total_redundant_bytes pieces verified_pieces total_done total_wanted_done
		total_wanted all_time_upload all_time_download added_time completed_time last_seen_complete
		storage_mode progress progress_ppm queue_position download_rate upload_rate
		download_payload_rate upload_payload_rate num_seeds num_peers num_complete num_incomplete
		list_seeds list_peers connect_candidates num_pieces distributed_full_copies
		distributed_fraction distributed_copies block_size num_uploads num_connections uploads_limit
		connections_limit up_bandwidth_queue down_bandwidth_queue time_since_upload
		time_since_download active_time finished_time seeding_time seed_rank last_scrape
		sparse_regions priority state need_save_resume ip_filter_applies upload_mode share_mode
		super_seeding paused auto_managed sequential_download is_seeding is_finished has_metadata
		has_incoming seed_mode moving_storage info_hash`)
	libtorrentSessionStatus = strings.Fields(`has_incoming_connections upload_rate download_rate
		total_download total_upload payload_upload_rate payload_download_rate total_payload_download
		total_payload_upload ip_overhead_upload_rate ip_overhead_download_rate
		total_ip_overhead_download total_ip_overhead_upload dht_upload_rate dht_download_rate
		total_dht_download total_dht_upload tracker_upload_rate tracker_download_rate
		total_tracker_download total_tracker_upload total_redundant_bytes total_failed_bytes
		num_peers num_dead_peers num_unchoked allowed_upload_slots up_bandwidth_queue
		down_bandwidth_queue up_bandwidth_bytes_queue down_bandwidth_bytes_queue
		optimistic_unchoke_counter unchoke_counter disk_write_queue disk_read_queue dht_nodes
		dht_node_cache dht_torrents dht_global_nodes active_requests dht_routing_table
		dht_total_allocations utp_stats peerlist_size num_torrents num_paused_torrents`)
)

// goName is a libtorrent member name in Go casing (ip, dht, utp, ppm as
// initialisms).
func goName(snake string) string {
	var b strings.Builder
	for _, w := range strings.Split(snake, "_") {
		switch w {
		case "ip", "dht", "utp", "ppm":
			b.WriteString(strings.ToUpper(w))
		default:
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

func TestStatusTypesHaveEveryLibtorrentField(t *testing.T) {
	tests := []struct {
		typ   reflect.Type
		names []string
		count int
	}{
		{reflect.TypeFor[TorrentStatus](), append(libtorrentTorrentStatus, "handle"), 75},
		{reflect.TypeFor[SessionStatus](), libtorrentSessionStatus, 46},
	}
	for _, tt := range tests {
		if len(tt.names) != tt.count {
			t.Fatalf("%v: the table has %d names, libtorrent %d", tt.typ, len(tt.names), tt.count)
		}
		for _, n := range tt.names {
			if _, ok := tt.typ.FieldByName(goName(n)); !ok {
				t.Errorf("%v has no field %s (libtorrent's %s)", tt.typ, goName(n), n)
			}
		}
	}
}
