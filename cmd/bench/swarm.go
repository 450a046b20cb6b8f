package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/metainfo"
)

// The swarm lines (issue 10, part 13): cooperative swarms on 127.0.0.1
// over TCP, where peers find each other only through opentracker (the
// .torrent carries its announce URL; nobody is given a peer address).
// Each run starts a fresh tracker and seed, then all leechers at once, and
// the figure is the seconds from just before the first leecher's start to
// the last leecher's report that it has the whole file (ours: `demo
// download`'s "downloaded N bytes" line; libtorrent: lt_peer.py's
// "finished" event), so both include their process start. Every leecher's
// file is then checked by SHA-1. Runs alternate ours and libtorrent,
// -runs times each; the line is the medians, ratio ours/libtorrent (below
// 1: ours finish sooner).
//
// Leechers on both sides keep seeding once they have the file until the
// run ends (ours `demo download -seed`, libtorrent's lt_peer.py
// --keep-seeding, as in the prototype), so later leechers get
// the earlier ones' help on both sides. (Until 2026-12-06 ours exited,
// which cost them that help: the 20-leecher line read 1.15.)
//
//   - swarm_6_leechers_ratelimited: a python3-libtorrent seed limited to
//     1 MB/s upload (every peer in its global class) and 6 leechers, all
//     ours or all libtorrent, 8 MiB in 256 KiB pieces: the seed alone
//     would need 8.4 s per leecher, so leechers must trade.
//   - swarm_1_seed_20_leechers: one unlimited seed and 20 leechers, ours
//     (`demo seed`) with ours against libtorrent's with libtorrent's,
//     32 MiB in 256 KiB pieces.
const (
	lineSwarmRateLimited = "swarm_6_leechers_ratelimited"
	lineSwarm20          = "swarm_1_seed_20_leechers"

	swarmPieceLength = 256 << 10
)

// swarmSpecs are the swarm lines' shapes.
var swarmSpecs = []swarmSpec{
	{name: lineSwarmRateLimited, leechers: 6, size: 8 << 20, seedUploadLimit: 1_000_000, libtorrentSeed: true},
	{name: lineSwarm20, leechers: 20, size: 32 << 20},
}

// swarmSpec is one swarm line.
type swarmSpec struct {
	name            string
	leechers        int
	size            int64
	seedUploadLimit int  // bytes/s, 0 unlimited
	libtorrentSeed  bool // both sides' leechers download from libtorrent's seed; else each side's own
}

// ErrSwarm means a swarm run failed.
var ErrSwarm = errors.New("bench: swarm run failed")

// benchSwarm prints the swarm lines that c runs.
func benchSwarm(ctx context.Context, c config, demo, work string, stdout io.Writer) error {
	for _, s := range swarmSpecs {
		if !c.runsLine(s.name) {
			continue
		}
		if err := interop.OpentrackerAvailable(); err != nil {
			return err
		}
		if err := interop.Available(); err != nil {
			return err
		}
		if err := benchSwarmLine(ctx, c, s, demo, work, stdout); err != nil {
			return err
		}
	}
	return nil
}

// benchSwarmLine makes s's payload and runs it -runs times per side.
func benchSwarmLine(ctx context.Context, c config, s swarmSpec, demo, work string, stdout io.Writer) error {
	dir := filepath.Join(work, s.name)
	defer os.RemoveAll(dir)
	p, err := makePayloadWith(ctx, dir, s.size, metainfo.CreateOptions{PieceLength: swarmPieceLength})
	if err != nil {
		return err
	}
	var runs []swarmRun
	for i := 1; i <= c.runs; i++ {
		for _, side := range []string{sideOurs, sideLibtorrent} {
			if !c.wants(side) {
				continue
			}
			r, err := swarmOnce(ctx, c, s, side, demo, p, filepath.Join(dir, fmt.Sprintf("%s-%d", side, i)), i)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, r.detail(s.name))
			runs = append(runs, r)
		}
	}
	fmt.Fprintln(stdout, swarmSummary(s.name, runs))
	return nil
}

// swarmOnce is one run of one side: tracker, seed, leechers, each stopped
// and the run's directory removed before it returns.
func swarmOnce(ctx context.Context, c config, s swarmSpec, side, demo string, p payload, dir string, run int) (swarmRun, error) {
	r := swarmRun{side: side, run: run}
	ctx, cancel := context.WithTimeout(ctx, c.timeout+seederStartTimeout)
	defer cancel()
	defer os.RemoveAll(dir)
	fail := func(err error) (swarmRun, error) {
		return r, fmt.Errorf("%w: %s %s run %d: %w", ErrSwarm, s.name, side, run, err)
	}
	mi, err := metainfo.Load(p.torrent)
	if err != nil {
		return fail(err)
	}
	ot, err := interop.StartOpentracker(ctx, mi.InfoHash)
	if err != nil {
		return fail(err)
	}
	defer ot.Stop()
	// The info-hash does not cover "announce": every run's torrent is the
	// payload's with this run's tracker.
	torrent := filepath.Join(dir, "swarm.torrent")
	if err := writeWithTracker(mi, ot.HTTPAnnounceURL(), torrent); err != nil {
		return fail(err)
	}
	seedSide := side
	if s.libtorrentSeed {
		seedSide = sideLibtorrent
	}
	seed, err := startSwarmSeed(ctx, seedSide, demo, torrent, p.dir, s.seedUploadLimit)
	if err != nil {
		return fail(err)
	}
	defer seed.stop()
	// A leecher announces once at its start: the seed must be on the
	// tracker's list by then, or the first leechers would find nobody.
	if err := waitTrackerSeeds(ctx, ot, mi.InfoHash, 1); err != nil {
		return fail(fmt.Errorf("%w\n%s", err, seed.log()))
	}
	r.finishes, err = runLeechers(ctx, c, side, demo, torrent, dir, s.leechers)
	if err != nil {
		return fail(err)
	}
	for i := range s.leechers {
		if err := verify(ctx, p, leecherDir(dir, i)); err != nil {
			return fail(fmt.Errorf("leecher %d: %w", i, err))
		}
	}
	return r, nil
}

// writeWithTracker writes mi to path with announceURL as its only tracker.
func writeWithTracker(mi *metainfo.MetaInfo, announceURL, path string) error {
	m := *mi
	m.Announce, m.AnnounceList = announceURL, nil
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// leecherDir is leecher i's save path.
func leecherDir(dir string, i int) string { return filepath.Join(dir, fmt.Sprintf("leecher-%02d", i)) }
