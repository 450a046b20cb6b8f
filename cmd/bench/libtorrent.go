package main

import (
	"context"
	"fmt"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// seederStartTimeout bounds starting the seeder and its full check of the
// payload (1 GiB of SHA-1 takes a few seconds).
const seederStartTimeout = 3 * time.Minute

// startSeeder runs one python3-libtorrent seeder for p on 127.0.0.1 and
// waits until it seeds. It checks the files rather than using seed mode, so
// that hashing on first request does not slow only the first download.
func startSeeder(ctx context.Context, p payload) (*interop.Libtorrent, error) {
	return startSeederWith(ctx, interop.Options{Torrent: p.torrent, Save: p.dir})
}

// startSeederWith is startSeeder with the seeder's options spelled out.
func startSeederWith(ctx context.Context, o interop.Options) (*interop.Libtorrent, error) {
	ctx, cancel := context.WithTimeout(ctx, seederStartTimeout)
	defer cancel()
	s, err := interop.StartSeeder(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("bench: seeder: %w", err)
	}
	if err := s.WaitSeeding(ctx); err != nil {
		_ = s.Stop()
		return nil, fmt.Errorf("bench: seeder: %w\n%s", err, s.Log())
	}
	return s, nil
}

// runLibtorrent downloads the payload with a python3-libtorrent downloader
// into saveDir. Wall time is measured like runOurs: from just before the
// process is started to its exit (lt_peer.py exits right after its
// "finished" event, so the gap is session teardown, as for ours; the
// detail line shows start-to-finished and libtorrent's own added-to-
// finished seconds too). CPU and peak RSS come from the script's
// getrusage(RUSAGE_SELF) at "finished": libtorrent's threads live in that
// one process.
func runLibtorrent(ctx context.Context, c config, tr transfer, p payload, seeder string, saveDir string, run int) (result, error) {
	r := result{side: sideLibtorrent, run: run}
	ctx, cancel := context.WithTimeout(ctx, c.timeout+exitGrace)
	defer cancel()
	start := time.Now()
	d, err := interop.StartDownloader(ctx, interop.Options{
		Torrent: p.torrent, Save: saveDir, Peers: []string{seeder}, Timeout: c.timeout, UTPOnly: tr.utpOnly,
	})
	if err != nil {
		return r, fmt.Errorf("%w: libtorrent run %d: %w", ErrDownload, run, err)
	}
	defer d.Stop()
	stopAnon := func() int64 { return 0 }
	if pid := childWithArg(saveDir); pid > 0 {
		stopAnon = sampleAnon(pid)
	}
	ev, err := d.WaitFinished(ctx)
	r.anon = stopAnon()
	if err != nil {
		return r, fmt.Errorf("%w: libtorrent run %d: %w", ErrDownload, run, err)
	}
	finished := time.Since(start)
	select {
	case <-d.Exited():
	case <-ctx.Done():
		return r, fmt.Errorf("%w: libtorrent run %d: no exit after finishing: %w", ErrDownload, run, context.Cause(ctx))
	}
	r.wall = time.Since(start)
	if err := d.Stop(); err != nil {
		return r, fmt.Errorf("%w: libtorrent run %d: %w\n%s", ErrDownload, run, err, d.Log())
	}
	r.cpu = time.Duration(ev.CPUSeconds * float64(time.Second))
	r.rssKiB = ev.MaxRSSKiB
	r.note = fmt.Sprintf("to_finished=%.2fs lt_says=%.2fs", finished.Seconds(), ev.Seconds)
	return r, nil
}
