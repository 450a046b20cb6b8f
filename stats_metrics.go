package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/messages"
)

// MetricType is libtorrent's stats_metric type: a counter only grows, a
// gauge goes up and down.
type MetricType int

// The metric types, with libtorrent's values.
const (
	MetricCounter MetricType = MetricType(stats.TypeCounter)
	MetricGauge   MetricType = MetricType(stats.TypeGauge)
)

func (t MetricType) String() string { return stats.MetricType(t).String() }

// StatsMetric is one session statistic (libtorrent's stats_metric): its
// libtorrent name ("net.recv_payload_bytes"), where its value is in
// SessionStatsAlert.Values, and whether it is a counter or a gauge.
type StatsMetric struct {
	Name       string
	ValueIndex int
	Type       MetricType
	// Help says what the value means (libtorrent's meaning).
	Help string
}

// SessionStatsMetrics lists the metrics the engine fills (libtorrent's
// session_stats_metrics()). Every name is libtorrent's and means what
// libtorrent's means; the metrics of features the engine does not have
// (uTP, DHT, SSL, proxies, ...) are absent, not zero. Value indices are
// ours: look metrics up by name (FindMetricIdx), as with libtorrent,
// whose indices differ between versions.
func SessionStatsMetrics() []StatsMetric {
	ms := stats.Metrics()
	out := make([]StatsMetric, len(ms))
	for i, m := range ms {
		out[i] = StatsMetric{Name: m.Name, ValueIndex: m.ValueIndex, Type: MetricType(m.Type), Help: m.Help}
	}
	return out
}

// FindMetricIdx is the value index of the metric called name, or -1 when
// the engine does not fill it (libtorrent's find_metric_idx).
func FindMetricIdx(name string) int { return stats.FindMetricIdx(name) }

// SessionStats returns the current values of the session's metrics,
// indexed as SessionStatsMetrics says: the synchronous form of
// PostSessionStats, for callers that poll (the Prometheus handler).
func (s *Session) SessionStats(ctx context.Context) ([]int64, error) {
	r, err := s.request(ctx, &messages.GetSessionStats{})
	if err != nil {
		return nil, err
	}
	return r.(*messages.SessionStatsReply).Values, nil
}
