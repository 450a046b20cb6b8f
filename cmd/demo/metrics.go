package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/actorrent/actorrent"
)

// metricsFlag is the -metrics flag of seed and download: where to serve
// the session's metrics in Prometheus' text format, at /metrics.
type metricsFlag struct{ addr string }

func addMetricsFlag(fs *flag.FlagSet) *metricsFlag {
	m := &metricsFlag{}
	fs.StringVar(&m.addr, "metrics", "", "serve Prometheus metrics at http://`ADDR`/metrics (e.g. 127.0.0.1:9100; empty: none)")
	return m
}

// Bounds of the metrics server: a scrape is small and quick; slow or
// idle clients are cut off.
const (
	metricsReadTimeout  = 10 * time.Second
	metricsWriteTimeout = 30 * time.Second
)

// serve starts the server (nothing without -metrics) and says where on
// stderr; stop closes it, waiting a little for a scrape in progress.
func (m *metricsFlag) serve(s *actorrent.Session, stderr io.Writer) (stop func() error, err error) {
	if m == nil || m.addr == "" {
		return func() error { return nil }, nil
	}
	ln, err := net.Listen("tcp", m.addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", s.MetricsHandler(actorrent.MetricsHandlerOptions{PerTorrent: true, Timeout: metricsReadTimeout}))
	srv := &http.Server{
		Handler: mux, ReadHeaderTimeout: metricsReadTimeout, ReadTimeout: metricsReadTimeout,
		WriteTimeout: metricsWriteTimeout, IdleTimeout: metricsWriteTimeout, MaxHeaderBytes: 16 << 10,
	}
	stop = serveOn(ln, srv)
	fmt.Fprintf(stderr, "metrics on http://%s/metrics\n", ln.Addr())
	return stop, nil
}
