package actorrent

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsHandlerOptions configure MetricsHandler.
type MetricsHandlerOptions struct {
	// PerTorrent adds a few torrent_status values per torrent, labelled
	// by info_hash and name (one status request per torrent per scrape:
	// leave it off for sessions with thousands of torrents).
	PerTorrent bool
	// Timeout bounds the questions one scrape asks the session (0: 10 s).
	Timeout time.Duration
}

// MetricsHandler serves the session's metrics (SessionStatsMetrics) in
// Prometheus' text format: each is named actorrent_ and libtorrent's name
// with dots as underscores (net.recv_payload_bytes becomes
// actorrent_net_recv_payload_bytes_total), counters end in _total, and
// the HELP text says what the value means. The session is asked once per
// scrape. The handler uses a registry of its own, not Prometheus' global
// one; a scrape of a closed session answers 500.
func (s *Session) MetricsHandler(opts MetricsHandlerOptions) http.Handler {
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(newSessionCollector(s, opts))
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.HTTPErrorOnError})
}

// PrometheusName is a metric's name in the Prometheus exposition:
// actorrent_ + libtorrent's name with '.' as '_', and _total for a counter.
func PrometheusName(m StatsMetric) string {
	n := "actorrent_" + strings.ReplaceAll(m.Name, ".", "_")
	if m.Type == MetricCounter {
		n += "_total"
	}
	return n
}

// sessionCollector is a prometheus.Collector asking the session when
// scraped.
type sessionCollector struct {
	s       *Session
	opts    MetricsHandlerOptions
	metrics []StatsMetric
	descs   []*prometheus.Desc
	torrent []torrentSeries
}

// torrentSeries is one per-torrent value read off torrent_status.
type torrentSeries struct {
	desc  *prometheus.Desc
	typ   prometheus.ValueType
	value func(TorrentStatus) float64
}

func newSessionCollector(s *Session, opts MetricsHandlerOptions) *sessionCollector {
	c := &sessionCollector{s: s, opts: opts, metrics: SessionStatsMetrics()}
	for _, m := range c.metrics {
		c.descs = append(c.descs, prometheus.NewDesc(PrometheusName(m), m.Help, nil, nil))
	}
	if opts.PerTorrent {
		c.torrent = perTorrentSeries()
	}
	return c
}

func perTorrentSeries() []torrentSeries {
	labels := []string{"info_hash", "name"}
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("actorrent_torrent_"+name, help, labels, nil)
	}
	g, c := prometheus.GaugeValue, prometheus.CounterValue
	return []torrentSeries{
		{d("state", "torrent_status.state (libtorrent's numbering: 3 downloading, 5 seeding, ...)"), g,
			func(s TorrentStatus) float64 { return float64(s.State) }},
		{d("paused", "1 when the torrent is paused"), g,
			func(s TorrentStatus) float64 { return b2f(s.Paused) }},
		{d("progress", "torrent_status.progress: the fraction of the wanted pieces we have, 0 to 1"), g,
			func(s TorrentStatus) float64 { return s.Progress }},
		{d("download_payload_rate", "torrent_status.download_payload_rate: payload bytes per second received"), g,
			func(s TorrentStatus) float64 { return float64(s.DownloadPayloadRate) }},
		{d("upload_payload_rate", "torrent_status.upload_payload_rate: payload bytes per second sent"), g,
			func(s TorrentStatus) float64 { return float64(s.UploadPayloadRate) }},
		{d("num_peers", "torrent_status.num_peers: connected peers"), g,
			func(s TorrentStatus) float64 { return float64(s.NumPeers) }},
		{d("num_seeds", "torrent_status.num_seeds: connected peers that are seeds"), g,
			func(s TorrentStatus) float64 { return float64(s.NumSeeds) }},
		{d("payload_download_bytes_total", "torrent_status.total_payload_download: payload bytes received in this session"), c,
			func(s TorrentStatus) float64 { return float64(s.TotalPayloadDownload) }},
		{d("payload_upload_bytes_total", "torrent_status.total_payload_upload: payload bytes sent in this session"), c,
			func(s TorrentStatus) float64 { return float64(s.TotalPayloadUpload) }},
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Describe sends every descriptor (the set is fixed for a build).
func (c *sessionCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
	for _, t := range c.torrent {
		ch <- t.desc
	}
}

// Collect asks the session for its values (one request) and, when asked
// for, each torrent for its status.
func (c *sessionCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.Timeout)
	defer cancel()
	values, err := c.s.SessionStats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.descs[0], err)
		return
	}
	for i, m := range c.metrics {
		t := prometheus.GaugeValue
		if m.Type == MetricCounter {
			t = prometheus.CounterValue
		}
		ch <- prometheus.MustNewConstMetric(c.descs[i], t, float64(values[m.ValueIndex]))
	}
	if len(c.torrent) > 0 {
		c.collectTorrents(ctx, ch)
	}
}

func (c *sessionCollector) collectTorrents(ctx context.Context, ch chan<- prometheus.Metric) {
	// One bulk status for every torrent; the name is the only costly
	// field a series needs.
	sts, err := c.s.GetTorrentStatus(ctx, nil, QueryName)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.torrent[0].desc, err)
		return
	}
	for _, st := range sts {
		ih, name := st.InfoHash.String(), st.Name
		for _, t := range c.torrent {
			ch <- prometheus.MustNewConstMetric(t.desc, t.typ, t.value(st), ih, name)
		}
	}
}
