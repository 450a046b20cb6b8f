package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/metainfo"
)

// swarmProc is a seed or leecher process of a swarm run.
type swarmProc interface {
	stop()
	log() string
}

// ourSwarmProc is a `demo seed` or `demo download`.
type ourSwarmProc struct{ c *child }

func (p ourSwarmProc) stop()       { p.c.stop() }
func (p ourSwarmProc) log() string { return p.c.log.String() + p.c.stderr.String() }

// ltSwarmProc is an lt_peer.py.
type ltSwarmProc struct{ l *interop.Libtorrent }

func (p ltSwarmProc) stop()       { _ = p.l.Stop() }
func (p ltSwarmProc) log() string { return tail(p.l.Log(), 20) }

// startSwarmSeed starts side's seed of torrent's files in dir, announcing
// only to the torrent's tracker. The caller waits for the tracker to list
// it (waitTrackerSeeds), which also means it has checked its files.
func startSwarmSeed(ctx context.Context, side, demo, torrent, dir string, uploadLimit int) (swarmProc, error) {
	if side == sideOurs {
		args := []string{"seed", "-listen", "127.0.0.1:0", "-resume-dir", ""}
		if uploadLimit > 0 {
			args = append(args, "-up-limit", fmt.Sprint(uploadLimit))
		}
		c, err := startChild(ctx, demo, append(args, torrent, dir)...)
		if err != nil {
			return nil, err
		}
		c.kind = ErrSwarm
		return ourSwarmProc{c}, nil
	}
	l, err := interop.StartSeeder(ctx, interop.Options{Torrent: torrent, Save: dir, UploadLimit: uploadLimit})
	if err != nil {
		return nil, err
	}
	return ltSwarmProc{l}, nil
}

// scrapeInterval is how often waitTrackerSeeds asks the tracker.
const scrapeInterval = 50 * time.Millisecond

// waitTrackerSeeds scrapes ot until it counts at least n seeds of ih.
func waitTrackerSeeds(ctx context.Context, ot *interop.Opentracker, ih metainfo.InfoHash, n int) error {
	u := fmt.Sprintf("http://127.0.0.1:%d/scrape?info_hash=%s", ot.HTTPPort(), percentEncode(ih[:]))
	// Loopback only, never through a proxy from the environment.
	hc := http.Client{Timeout: time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	defer hc.CloseIdleConnections()
	tick := time.NewTicker(scrapeInterval)
	defer tick.Stop()
	last := ""
	for {
		if resp, err := hc.Get(u); err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			_ = resp.Body.Close()
			if got, ok := scrapeComplete(body); ok && got >= n {
				return nil
			}
			last = string(body)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the tracker never listed %d seed(s): %w (last scrape %q)", n, context.Cause(ctx), last)
		case <-tick.C:
		}
	}
}

// percentEncode writes every byte as %XX: url.QueryEscape turns a space
// into "+", which opentracker's scrape does not read as one.
func percentEncode(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		fmt.Fprintf(&sb, "%%%02X", c)
	}
	return sb.String()
}

// leecherDone is one leecher's outcome.
type leecherDone struct {
	i     int
	after time.Duration // since the first leecher's start
	err   error
}

// runLeechers starts n leechers of side at once, each into its
// leecherDir, and returns when each reported it has the file, counted
// from just before the first start. Every leecher is stopped before it
// returns, in parallel (libtorrent's take up to a second each).
func runLeechers(ctx context.Context, c config, side, demo, torrent, dir string, n int) ([]time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	release := make(chan struct{}) // closed when the run is over: stop
	var wg sync.WaitGroup
	defer func() {
		cancel()
		close(release)
		wg.Wait()
	}()
	done := make(chan leecherDone, n)
	t0 := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			after, p, err := leech(ctx, c, side, demo, torrent, leecherDir(dir, i), t0)
			if p != nil {
				defer p.stop()
			}
			if err != nil && p != nil {
				err = fmt.Errorf("%w\n%s", err, p.log())
			}
			done <- leecherDone{i: i, after: after, err: err}
			<-release
		}()
	}
	finishes := make([]time.Duration, n)
	for range n {
		d := <-done
		if d.err != nil {
			return nil, fmt.Errorf("leecher %d: %w", d.i, d.err)
		}
		finishes[d.i] = d.after
	}
	return finishes, nil
}

// leech starts one leecher and waits until it reports it has the file;
// it returns the process (nil if it did not start) for the caller to stop.
func leech(ctx context.Context, c config, side, demo, torrent, save string, t0 time.Time) (time.Duration, swarmProc, error) {
	if side == sideOurs {
		ch, err := startChild(ctx, demo, "download", "-listen", "127.0.0.1:0", "-resume-dir", "", "-seed",
			"-timeout", c.timeout.String(), "-o", save, torrent)
		if err != nil {
			return 0, nil, err
		}
		ch.kind = ErrSwarm
		for {
			line, err := ch.waitLine(ctx, "downloaded ")
			if err != nil {
				return 0, ourSwarmProc{ch}, err
			}
			if _, ok := parseOurFinished(line); ok {
				// The SHA-1 check after the run decides; the count is the
				// demo's, not necessarily the file's size.
				return time.Since(t0), ourSwarmProc{ch}, nil
			}
		}
	}
	l, err := interop.StartDownloader(ctx, interop.Options{Torrent: torrent, Save: save, KeepSeeding: true, Timeout: c.timeout})
	if err != nil {
		return 0, nil, err
	}
	if _, err := l.WaitFinished(ctx); err != nil {
		return 0, ltSwarmProc{l}, err
	}
	return time.Since(t0), ltSwarmProc{l}, nil
}
