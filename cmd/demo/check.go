package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/actorrent/actorrent"
)

const checkSynopsis = "demo check [-hashing-threads N] [-cpuprofile FILE] [-memprofile FILE] TORRENT SAVE_PATH"

// errPiecesFailed: a check found pieces missing or wrong (exit code 3).
var errPiecesFailed = errors.New("pieces missing or wrong")

// checkResult is what one full check found.
type checkResult struct {
	ok, total int
	bytes     int64
	elapsed   time.Duration
}

// runCheck checks a torrent's files in SAVE_PATH in full and prints how
// many pieces passed and how fast: "N/M pieces ok ... (X GiB/s)". It adds
// the torrent to a session as seed and download do (no seed mode, so the
// files are hashed) and waits for the check to end; it writes nothing.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("check", checkSynopsis, stdout)
	threads := fs.Int("hashing-threads", 0, "threads hashing (hashing_threads; 0: one per core)")
	prof := addProfileFlags(fs.FlagSet)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 2:
		return usageErrorf("check: want TORRENT and SAVE_PATH, got %d arguments", len(pos))
	case *threads < 0:
		return usageErrorf("check: -hashing-threads %d is negative", *threads)
	}
	ti, err := actorrent.LoadTorrentFile(pos[0])
	if err != nil {
		return err
	}
	savePath := pos[1]
	if fi, err := os.Stat(savePath); err != nil {
		return fmt.Errorf("save path: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("save path %s is not a directory", savePath)
	}
	if err := prof.start(); err != nil {
		return err
	}
	defer func() { err = because(ctx, err) }()
	s, err := openCheckSession(ctx, *threads)
	if err != nil {
		return errors.Join(err, prof.stop())
	}
	defer func() { err = errors.Join(err, closeSession(s)) }()
	defer func() { err = errors.Join(err, prof.stop()) }()

	res, err := check(ctx, s, ti, savePath)
	if err != nil {
		return err
	}
	secs := max(res.elapsed.Seconds(), 1e-9)
	fmt.Fprintf(stdout, "%d/%d pieces ok, %.2f GiB in %.3f s (%.2f GiB/s)\n",
		res.ok, res.total, gib(res.bytes), secs, gib(res.bytes)/secs)
	if res.ok < res.total {
		return fmt.Errorf("%w: %d of %d pieces of %s in %s", errPiecesFailed, res.total-res.ok, res.total, ti.Name(), savePath)
	}
	return nil
}

// openCheckSession starts a session for a check, with threads hashing
// (0: the default, one per core). It listens on a free loopback port, as
// a session must, but never connects to anyone: the torrent has no peers.
func openCheckSession(ctx context.Context, threads int) (*actorrent.Session, error) {
	sp := actorrent.DefaultSettings()
	sp.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	sp.SetInt(actorrent.AlertMask, int(alertMask))
	sp.SetBool(actorrent.EnableLSD, false)  // no peers
	sp.SetBool(actorrent.EnableUPnP, false) // no gateway asked
	sp.SetBool(actorrent.EnableNATPMP, false)
	if threads > 0 {
		sp.SetInt(actorrent.HashingThreads, threads)
	}
	s, err := actorrent.NewSession(ctx, sp)
	if err != nil {
		return nil, fmt.Errorf("starting session: %w", err)
	}
	return s, nil
}

// check adds ti and waits until its check ends. The time runs from the
// add to the end of the check; the torrent_checked alert wakes the watcher
// at once, so the figure does not depend on the status poll interval.
func check(ctx context.Context, s *actorrent.Session, ti *actorrent.TorrentInfo, savePath string) (checkResult, error) {
	res := checkResult{total: ti.NumPieces(), bytes: ti.TotalSize()}
	start := time.Now()
	w, err := addTorrent(ctx, s, ti, savePath)
	if err != nil {
		return res, err
	}
	defer w.close()
	err = w.poll(ctx, statusInterval, func(st actorrent.TorrentStatus) (bool, error) {
		if checking(st.State) {
			return false, nil
		}
		res.elapsed = time.Since(start)
		res.ok = st.NumPieces
		return true, nil
	})
	return res, err
}

func gib(n int64) float64 { return float64(n) / (1 << 30) }
