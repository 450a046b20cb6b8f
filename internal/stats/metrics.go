// Package stats is libtorrent's session statistics as plain Go: the one
// table of libtorrent 1.1's metric names (counter or gauge, and what each
// means), the subset the engine fills, and the counter block the actors
// add to. It knows no actors: the session snapshots the block and fills
// the gauges it computes when asked (sessionactor/handle_stats.go).
package stats

// MetricType is libtorrent's stats_metric::type.
type MetricType int

// libtorrent's values (stats_metric::type_counter, type_gauge).
const (
	// TypeCounter only grows (Prometheus: a counter).
	TypeCounter MetricType = 0
	// TypeGauge goes up and down (Prometheus: a gauge).
	TypeGauge MetricType = 1
)

func (t MetricType) String() string {
	if t == TypeGauge {
		return "gauge"
	}
	return "counter"
}

// ltMetric is one row of libtorrent's table.
type ltMetric struct {
	Name    string
	Type    MetricType
	LTIndex int // libtorrent 1.1's value_index (ours differ: look up by name)
	Help    string
}

// Metric is one metric the engine fills.
type Metric struct {
	// Name is libtorrent's ("net.recv_payload_bytes").
	Name string
	// ValueIndex is where its value is in a values slice (Snapshot).
	ValueIndex int
	Type       MetricType
	// Help says what the value means (libtorrent's meaning).
	Help string
}

// LibtorrentMetric reports whether name is one of libtorrent 1.1's
// metrics, and its type.
func LibtorrentMetric(name string) (MetricType, bool) {
	i, ok := ltByName[name]
	if !ok {
		return 0, false
	}
	return libtorrentMetrics[i].Type, true
}

// NumLibtorrentMetrics is the size of libtorrent 1.1's table.
func NumLibtorrentMetrics() int { return len(libtorrentMetrics) }

var ltByName = func() map[string]int {
	m := make(map[string]int, len(libtorrentMetrics))
	for i, r := range libtorrentMetrics {
		m[r.Name] = i
	}
	return m
}()

// Metrics lists the metrics the engine fills, in ValueIndex order. The
// slice is shared: do not modify it.
func Metrics() []Metric { return filled }

// FindMetricIdx is the ValueIndex of name, or -1 when the engine does not
// fill it (whether or not libtorrent has it).
func FindMetricIdx(name string) int {
	if i, ok := filledByName[name]; ok {
		return i
	}
	return -1
}

var filled, filledByName = func() ([]Metric, map[string]int) {
	ms := make([]Metric, NumIndexes)
	byName := make(map[string]int, NumIndexes)
	for i, name := range indexNames {
		r := libtorrentMetrics[ltByName[name]]
		ms[i] = Metric{Name: name, ValueIndex: i, Type: r.Type, Help: r.Help}
		byName[name] = i
	}
	return ms, byName
}()
