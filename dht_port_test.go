package actorrent

import (
	"context"
	"testing"
	"time"
)

// BEP 5's PORT message: two DHT nodes that know nothing of each other
// (no router, no node) learn of each other through a peer connection
// between their sessions, as libtorrent's DHT grows from its swarms: each
// side sets the reserved bit, sends PORT, and pings the node the other
// sent.
func TestDHTNodesMeetThroughPeerPortMessages(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	seeder, seederAddr := dhtNode(ctx, t, "127.0.71.1")
	leecher, _ := dhtNode(ctx, t, "127.0.72.1")
	ti, src := oneFileTorrent(t)
	if _, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src}); err != nil {
		t.Fatal(err)
	}
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := lh.ConnectPeer(ctx, seederAddr); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Session{"seeder": seeder, "leecher": leecher} {
		for {
			st, err := s.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.DHTNodes+st.DHTNodeCache > 0 { // in the routing table, answered yet or not
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("the %s's DHT learnt no node from the peer's PORT message", name)
			case <-time.After(20 * time.Millisecond):
			}
		}
		// Each node pinged the other or was pinged by it (the library
		// takes a node that pinged it without pinging back), and the
		// dht.* metrics count it; PORT went both ways.
		want := []string{"dht.dht_messages_in", "dht.dht_messages_out", "dht.dht_bytes_in", "dht.dht_bytes_out",
			"ses.num_outgoing_dht_port", "ses.num_incoming_dht_port"}
		for {
			v, err := s.SessionStats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			missing := ""
			for _, m := range want {
				if v[FindMetricIdx(m)] <= 0 {
					missing = m
				}
			}
			if v[FindMetricIdx("dht.dht_ping_in")]+v[FindMetricIdx("dht.dht_ping_out")] <= 0 {
				missing = "dht.dht_ping_in and _out"
			}
			if missing == "" {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("the %s's %s is still 0", name, missing)
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
}
