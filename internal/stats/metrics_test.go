package stats

import (
	"strings"
	"testing"
)

func TestLibtorrentTable(t *testing.T) {
	// libtorrent 1.1: 293 metrics, 202 counters and 91 gauges; a metric
	// is a gauge exactly when its value_index is >= num_stats_counters.
	if n := NumLibtorrentMetrics(); n != 293 {
		t.Fatalf("libtorrent 1.1 table has %d metrics, want 293", n)
	}
	counters, gauges := 0, 0
	seenIdx := map[int]string{}
	for _, m := range libtorrentMetrics {
		if m.Type == TypeGauge {
			gauges++
		} else {
			counters++
		}
		if (m.LTIndex >= 202) != (m.Type == TypeGauge) {
			t.Errorf("%s: value_index %d and type %s disagree", m.Name, m.LTIndex, m.Type)
		}
		if prev, dup := seenIdx[m.LTIndex]; dup {
			t.Errorf("%s and %s share value_index %d", prev, m.Name, m.LTIndex)
		}
		seenIdx[m.LTIndex] = m.Name
		if m.Help == "" || !strings.Contains(m.Name, ".") {
			t.Errorf("row %+v: no meaning or no category", m)
		}
	}
	if counters != 202 || gauges != 91 {
		t.Errorf("%d counters and %d gauges, want 202 and 91", counters, gauges)
	}
}

func TestFilledMetricsAreLibtorrents(t *testing.T) {
	ms := Metrics()
	if len(ms) != int(NumIndexes) {
		t.Fatalf("Metrics() lists %d, want %d", len(ms), NumIndexes)
	}
	seen := map[string]bool{}
	for i, m := range ms {
		typ, ok := LibtorrentMetric(m.Name)
		if !ok {
			t.Errorf("%s is not one of libtorrent's metrics", m.Name)
			continue
		}
		if m.Type != typ {
			t.Errorf("%s: type %s, libtorrent's is %s", m.Name, m.Type, typ)
		}
		if m.ValueIndex != i || FindMetricIdx(m.Name) != i {
			t.Errorf("%s: ValueIndex %d, FindMetricIdx %d, position %d", m.Name, m.ValueIndex, FindMetricIdx(m.Name), i)
		}
		if seen[m.Name] {
			t.Errorf("%s listed twice", m.Name)
		}
		seen[m.Name] = true
	}
}

// TestAbsentMetrics: the features the engine does not have are absent,
// not zero, and unknown names are -1.
func TestAbsentMetrics(t *testing.T) {
	absentPrefixes := []string{"utp.num_utp_deleted", "dht.dht_invalid_", "sock_bufs.", "peer.num_ssl", "peer.num_socks5",
		"peer.num_i2p", "peer.num_http_proxy", "peer.error_rc4", "peer.error_encrypted",
		"ses.num_loaded_torrents", "ses.num_pinned_torrents",
		"ses.torrent_evicted_counter", "net.on_"}
	for _, m := range libtorrentMetrics {
		for _, p := range absentPrefixes {
			if strings.HasPrefix(m.Name, p) && FindMetricIdx(m.Name) != -1 {
				t.Errorf("%s is filled, but its feature does not exist", m.Name)
			}
		}
	}
	for _, name := range []string{"", "net", "net.recv_bytes.x", "dht.dht_invalid_get", "ses.num_outgoing_hash_request"} {
		if got := FindMetricIdx(name); got != -1 {
			t.Errorf("FindMetricIdx(%q) = %d, want -1", name, got)
		}
	}
}

func TestIPOverhead(t *testing.T) {
	tests := []struct {
		n    int
		ipv6 bool
		want int64
	}{
		{0, false, 40},    // an empty transfer is still one packet
		{1, false, 40},    //
		{1460, false, 40}, // a full IPv4 packet
		{1461, false, 80}, // spills into a second
		{16397, false, 12 * 40},
		{1440, true, 60},  // a full IPv6 packet
		{1441, true, 120}, //
	}
	for _, tt := range tests {
		if got := IPOverhead(tt.n, tt.ipv6); got != tt.want {
			t.Errorf("IPOverhead(%d, %v) = %d, want %d", tt.n, tt.ipv6, got, tt.want)
		}
	}
}

func TestCounters(t *testing.T) {
	c := NewCounters()
	c.Transferred(1461, true, false)
	c.Transferred(100, false, false)
	c.Transferred(0, false, false) // nothing moved: nothing counted
	c.Connect(true, false)
	c.Connect(false, false)
	c.Inc(PeerNumPeersConnected)
	c.Add(PeerNumPeersConnected, -1)
	c.Set(NetHasIncomingConnections, 1)
	want := map[Index]int64{
		NetSentBytes: 1461, NetRecvBytes: 100,
		NetSentIPOverheadBytes: 80 + 40 + 40 + 40 + 40, NetRecvIPOverheadBytes: 80 + 40 + 40,
		PeerNumPeersConnected: 0, NetHasIncomingConnections: 1,
	}
	snap := c.Snapshot()
	for i, w := range want {
		if snap[i] != w || c.Get(i) != w {
			t.Errorf("%s = %d (Get %d), want %d", indexNames[i], snap[i], c.Get(i), w)
		}
	}
	var nilc *Counters // counts nothing, never panics
	nilc.Inc(NetSentBytes)
	nilc.Transferred(10, true, false)
	nilc.Connect(true, false)
	if nilc.Get(NetSentBytes) != 0 || len(nilc.Snapshot()) != int(NumIndexes) {
		t.Error("a nil block is not empty")
	}
}
