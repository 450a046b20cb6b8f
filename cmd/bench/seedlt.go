package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// The seed_to_lt_256mib line (issue 10, parts 12 and 13): how fast our
// seeder serves a libtorrent downloader, next to libtorrent's own seeder
// serving the same downloader the same 256 MiB (one file, 1 MiB pieces)
// on 127.0.0.1 over TCP. Each run starts a fresh seeder (`demo seed`, or
// python3-libtorrent checking the files, as download_tcp_1gib's seeder
// does), so both read the payload from the page cache their check has just
// filled, and neither has a read cache warmed by an earlier run. The
// downloader is lt_peer.py with the interop settings; the figure is the
// payload over libtorrent's own added-to-finished time, so it counts the
// connection, the request queue's ramp and the transfer, not Python's
// start. Runs alternate ours and libtorrent, -runs times each; the line is
// the medians, ratio ours/libtorrent (the goal: 1.3 or more).
const (
	lineSeedToLT = "seed_to_lt_256mib"
	seedToLTSize = 256 << 20
)

// ErrSeedToLT means a seed_to_lt_256mib run failed.
var ErrSeedToLT = errors.New("bench: seed_to_lt_256mib failed")

// seedRun is one verified download from one seeder.
type seedRun struct {
	side      string
	run       int
	seconds   float64       // libtorrent's added-to-finished
	seederCPU time.Duration // the seeder's CPU from the downloader's start to its finish
	dlCPU     float64       // the downloader's CPU seconds at finish
}

func (r seedRun) rate() float64 { return seedToLTSize / (1 << 20) / r.seconds }

// benchSeedToLT prints the seed_to_lt_256mib lines.
func benchSeedToLT(ctx context.Context, c config, demo, work string, stdout io.Writer) error {
	if err := interop.Available(); err != nil {
		return err
	}
	dir := filepath.Join(work, "seed-to-lt")
	defer os.RemoveAll(dir)
	p, err := makePayload(ctx, dir, seedToLTSize)
	if err != nil {
		return err
	}
	var rates [2][]float64 // ours, libtorrent
	var cpus [2][]float64  // the seeders'
	for i := 1; i <= c.runs; i++ {
		for s, side := range []string{sideOurs, sideLibtorrent} {
			if !c.wants(side) {
				continue
			}
			r, err := seedToLTRun(ctx, c, side, demo, p, filepath.Join(dir, fmt.Sprintf("dl-%s-%d", side, i)), i)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "# %s run %d %-10s rate=%.1fMiB/s lt_says=%.2fs seeder_cpu=%.2fs downloader_cpu=%.2fs\n",
				lineSeedToLT, r.run, r.side, r.rate(), r.seconds, r.seederCPU.Seconds(), r.dlCPU)
			rates[s] = append(rates[s], r.rate())
			cpus[s] = append(cpus[s], r.seederCPU.Seconds())
		}
	}
	fmt.Fprintln(stdout, benchLine(lineSeedToLT, "MiB/s", 1, median(rates[0]), median(rates[1])))
	fmt.Fprintf(stdout, "# %s: goal ratio >= 1.3; seeder CPU per run (median) ours %s libtorrent %s\n",
		lineSeedToLT, fmtValue(median(cpus[0]), 2, "s"), fmtValue(median(cpus[1]), 2, "s"))
	return nil
}

// seedToLTRun starts side's seeder, downloads the payload once with a
// libtorrent downloader into saveDir, verifies and removes it, and stops
// the seeder.
func seedToLTRun(ctx context.Context, c config, side, demo string, p payload, saveDir string, run int) (seedRun, error) {
	r := seedRun{side: side, run: run, seconds: math.NaN()}
	ctx, cancel := context.WithTimeout(ctx, c.timeout+seederStartTimeout)
	defer cancel()
	defer os.RemoveAll(saveDir)
	var addr string
	var pid int
	if side == sideOurs {
		seed, err := startChild(ctx, demo, "seed", "-listen", "127.0.0.1:0", "-resume-dir", "", p.torrent, p.dir)
		if err != nil {
			return r, err
		}
		defer seed.stop()
		line, err := seed.waitLine(ctx, "listening on ")
		if err != nil {
			return r, err
		}
		addr, pid = strings.TrimPrefix(line, "listening on "), seed.cmd.Process.Pid
	} else {
		seed, err := startSeeder(ctx, p)
		if err != nil {
			return r, err
		}
		defer seed.Stop()
		addr, pid = seed.Addr(), childWithArg(p.dir)
	}
	if err := os.MkdirAll(saveDir, 0o755); err != nil {
		return r, err
	}
	cpu0 := cpuTime(pid)
	d, err := interop.StartDownloader(ctx, interop.Options{Torrent: p.torrent, Save: saveDir, Peers: []string{addr}, Timeout: c.timeout})
	if err != nil {
		return r, fmt.Errorf("%w: %s run %d: %w", ErrSeedToLT, side, run, err)
	}
	defer d.Stop()
	ev, err := d.WaitFinished(ctx)
	if err != nil {
		return r, fmt.Errorf("%w: %s run %d: %w\n%s", ErrSeedToLT, side, run, err, tail(d.Log(), 20))
	}
	if cpu0 > 0 {
		r.seederCPU = cpuTime(pid) - cpu0
	}
	r.seconds, r.dlCPU = ev.Seconds, ev.CPUSeconds
	if r.seconds <= 0 {
		return r, fmt.Errorf("%w: %s run %d: libtorrent says it finished in %v s", ErrSeedToLT, side, run, r.seconds)
	}
	if err := d.Stop(); err != nil {
		return r, fmt.Errorf("%w: %s run %d: %w", ErrSeedToLT, side, run, err)
	}
	if err := verify(ctx, p, saveDir); err != nil {
		return r, fmt.Errorf("%w: %s run %d: %w", ErrSeedToLT, side, run, err)
	}
	return r, nil
}
