package actorrent_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/actorrent/actorrent"
)

// Reading metrics: look each one up by libtorrent's name once, ask the
// session to post its values, and read them off the session_stats alert
// (posted whatever the alert mask). A metric the engine cannot count with
// libtorrent's meaning is absent (-1), not zero.
func ExampleSession_PostSessionStats() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello, swarm\n"), 0o644)
	ti, err := actorrent.CreateTorrent(filepath.Join(dir, "hello.txt"), actorrent.CreateTorrentOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := actorrent.DefaultSettings()
	p.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	p.SetInt(actorrent.AlertMask, int(actorrent.CategoryError|actorrent.CategoryStatus))
	s, err := actorrent.NewSession(ctx, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close(ctx)
	status, _ := s.Subscribe(ctx, actorrent.CategoryStatus)
	if _, err := s.AddTorrent(ctx, actorrent.AddTorrentParams{TI: ti, SavePath: dir}); err != nil {
		fmt.Println(err)
		return
	}
	for a := range status {
		if sc, ok := a.(actorrent.StateChangedAlert); ok && sc.State == actorrent.Seeding {
			break
		}
	}

	seeding := actorrent.FindMetricIdx("ses.num_seeding_torrents")
	checking := actorrent.FindMetricIdx("ses.num_checking_torrents")
	peers := actorrent.FindMetricIdx("peer.num_peers_connected")
	fmt.Println("dht.dht_invalid_get:", actorrent.FindMetricIdx("dht.dht_invalid_get"))
	if err := s.PostSessionStats(ctx); err != nil {
		fmt.Println(err)
		return
	}
	alerts, _ := s.PopAlerts(ctx) // the alert is queued once PostSessionStats returns
	for _, a := range alerts {
		if st, ok := a.(actorrent.SessionStatsAlert); ok {
			fmt.Println("ses.num_seeding_torrents:", st.Values[seeding])
			fmt.Println("peer.num_peers_connected:", st.Values[peers])
			fmt.Println("ses.num_checking_torrents:", st.Values[checking])
		}
	}
	// Output:
	// dht.dht_invalid_get: -1
	// ses.num_seeding_torrents: 1
	// peer.num_peers_connected: 0
	// ses.num_checking_torrents: 0
}

// Serving Prometheus: the handler asks the session once per scrape. Names
// are actorrent_ + libtorrent's with dots as underscores; counters end in
// _total. Here one metric's lines of a scrape.
func ExampleSession_MetricsHandler() {
	ctx := context.Background()
	p := actorrent.DefaultSettings()
	p.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	s, err := actorrent.NewSession(ctx, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close(ctx)
	srv := httptest.NewServer(s.MetricsHandler(actorrent.MetricsHandlerOptions{}))
	defer srv.Close()

	resp, err := http.Get(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "actorrent_net_recv_payload_bytes_total") {
			fmt.Println(sc.Text())
		}
	}
	// Output:
	// # HELP actorrent_net_recv_payload_bytes_total payload bytes received
	// # TYPE actorrent_net_recv_payload_bytes_total counter
	// actorrent_net_recv_payload_bytes_total 0
}
