package actorrent

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// scrape fetches and parses one exposition with Prometheus' own parser.
func scrape(ctx context.Context, url string) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape: %s", resp.Status)
	}
	var p expfmt.TextParser
	return p.TextToMetricFamilies(resp.Body)
}

func familyValue(f *dto.MetricFamily) float64 {
	m := f.GetMetric()[0]
	if f.GetType() == dto.MetricType_COUNTER {
		return m.GetCounter().GetValue()
	}
	return m.GetGauge().GetValue()
}

// TestPrometheusScrapeDuringDownload scrapes a leecher's handler before,
// during and after a download and parses every scrape.
func TestPrometheusScrapeDuringDownload(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	src, dst := t.TempDir(), t.TempDir()
	const size = 2<<20 + 777
	writePayload(t, src, map[string]int64{"f.bin": size}, 9)
	ti, err := CreateTorrent(filepath.Join(src, "f.bin"), CreateTorrentOptions{PieceSize: 128 << 10})
	if err != nil {
		t.Fatal(err)
	}
	_, addrs := seedingSession(ctx, t, ti, src)
	leecher, h, _ := downloadingSession(ctx, t, ti, dst)
	srv := httptest.NewServer(leecher.MetricsHandler(MetricsHandlerOptions{PerTorrent: true}))
	defer srv.Close()

	const recv = "actorrent_net_recv_payload_bytes_total"
	before, err := scrape(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	// Every metric the engine fills is there, typed, named as promised;
	// nothing else but the per-torrent series.
	metrics := SessionStatsMetrics()
	for _, m := range metrics {
		f := before[PrometheusName(m)]
		if f == nil {
			t.Errorf("%s (%s) missing from the scrape", PrometheusName(m), m.Name)
			continue
		}
		want := dto.MetricType_GAUGE
		if m.Type == MetricCounter {
			want = dto.MetricType_COUNTER
		}
		if f.GetType() != want || f.GetHelp() != m.Help {
			t.Errorf("%s: type %s help %q, want %s %q", f.GetName(), f.GetType(), f.GetHelp(), want, m.Help)
		}
		if (m.Type == MetricCounter) != strings.HasSuffix(f.GetName(), "_total") {
			t.Errorf("%s: a %s named so", f.GetName(), m.Type)
		}
	}
	torrentFamilies := 0
	for name := range before {
		if strings.HasPrefix(name, "actorrent_torrent_") {
			torrentFamilies++
		}
	}
	if len(before) != len(metrics)+torrentFamilies || torrentFamilies == 0 {
		t.Errorf("%d families: %d metrics and %d per-torrent", len(before), len(metrics), torrentFamilies)
	}
	if f := before["actorrent_torrent_progress"]; f != nil {
		lbl := map[string]string{}
		for _, l := range f.GetMetric()[0].GetLabel() {
			lbl[l.GetName()] = l.GetValue()
		}
		if lbl["info_hash"] != ti.InfoHash().String() || lbl["name"] != ti.Name() {
			t.Errorf("per-torrent labels %v", lbl)
		}
	}

	// Scrape while the download runs: each one parses.
	done := make(chan struct{})
	scrapes := make(chan error, 1)
	go func() {
		n := 0
		for {
			select {
			case <-done:
				if n == 0 {
					_, err := scrape(ctx, srv.URL)
					scrapes <- err
					return
				}
				scrapes <- nil
				return
			default:
			}
			if _, err := scrape(ctx, srv.URL); err != nil {
				scrapes <- err
				return
			}
			n++
		}
	}()
	if err := h.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	close(done)
	if err := <-scrapes; err != nil {
		t.Fatalf("scrape during the download: %v", err)
	}
	after, err := scrape(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if b, a := familyValue(before[recv]), familyValue(after[recv]); b != 0 || a != size {
		t.Errorf("%s: %v before, %v after, want 0 and %d", recv, b, a, size)
	}
	if got := familyValue(after["actorrent_ses_num_seeding_torrents"]); got != 1 {
		t.Errorf("actorrent_ses_num_seeding_torrents = %v, want 1", got)
	}
	if got := familyValue(after["actorrent_torrent_progress"]); got != 1 {
		t.Errorf("actorrent_torrent_progress = %v, want 1", got)
	}
}

// TestPrometheusWithoutPerTorrent: per-torrent series only when asked;
// a closed session's scrape fails rather than reporting zeros.
func TestPrometheusWithoutPerTorrent(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := NewSession(ctx, testSettings())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.MetricsHandler(MetricsHandlerOptions{}))
	defer srv.Close()
	fams, err := scrape(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if len(fams) != len(SessionStatsMetrics()) {
		t.Errorf("%d families, want %d (no per-torrent series)", len(fams), len(SessionStatsMetrics()))
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := scrape(ctx, srv.URL); err == nil {
		t.Error("a closed session's scrape succeeded")
	}
}
