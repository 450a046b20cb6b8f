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

const seedSynopsis = "demo seed [-listen ADDR] [-transport tcp|utp|both] [-lsd] [-dht] [-dht-bootstrap HOST:PORT,...] [-ip-filter FILE] [-up-limit BYTES] [-down-limit BYTES] [-metrics ADDR] [-resume-dir DIR] [-resume-interval D] " +
	"[-super-seed] [-cpuprofile FILE] [-memprofile FILE] TORRENT SAVE_PATH"

// runSeed checks a torrent's files in SAVE_PATH and seeds them until
// SIGINT or SIGTERM.
func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("seed", seedSynopsis, stdout)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
	superSeed := fs.Bool("super-seed", false, "super seed (BEP 16): tell each peer of one piece at a time, the rarest, so that every piece uploaded is new to the swarm")
	set := addSettingsFlags(fs)
	addTransportFlag(fs, set)
	dht := addDHTFlags(fs)
	addIPFilterFlag(fs, set)
	addLSDFlag(fs, set)
	limits := addLimitFlags(fs.FlagSet)
	metrics := addMetricsFlag(fs.FlagSet)
	rf := addResumeFlags(fs.FlagSet)
	prof := addProfileFlags(fs.FlagSet)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageErrorf("seed: want TORRENT and SAVE_PATH, got %d arguments", len(pos))
	}
	if err := checkListen(*listen); err != nil {
		return err
	}
	if err := dht.check("seed"); err != nil {
		return err
	}
	ti, err := actorrent.LoadTorrentFile(pos[0])
	if err != nil {
		return err
	}
	dht.applyTo(set, len(ti.Trackers()) > 0)
	savePath := pos[1]
	if fi, err := os.Stat(savePath); err != nil {
		return fmt.Errorf("save path: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("save path %s is not a directory", savePath)
	}
	rs, err := rf.saver(savePath, ti.InfoHash(), stderr)
	if err != nil {
		return err
	}
	if err := prof.start(); err != nil {
		return err
	}
	defer func() {
		// A signal is how a seed is meant to stop, whatever it was doing.
		if err = because(ctx, err); errors.Is(err, errInterrupted) {
			err = nil
		}
	}()
	s, err := openSessionWith(ctx, *listen, alertMask, set)
	if err != nil {
		return errors.Join(err, prof.stop())
	}
	defer func() { err = errors.Join(err, closeSession(s)) }()
	defer func() { err = errors.Join(err, prof.stop()) }()
	if err := limits.apply(ctx, s); err != nil {
		return err
	}
	stopMetrics, err := metrics.serve(s, stderr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stopMetrics()) }()

	var flags actorrent.AddTorrentFlags
	if *superSeed {
		flags = actorrent.FlagSuperSeeding
	}
	w, err := addTorrentResuming(ctx, s, ti, savePath, rs, flags)
	if err != nil {
		return err
	}
	defer w.close()
	if rs != nil {
		defer func() { err = errors.Join(err, rs.final(w)) }()
	}
	if err := waitSeeding(ctx, w, ti, savePath); err != nil {
		return err
	}
	addr, err := firstAddr(ctx, s)
	if err != nil {
		return err
	}
	// Scripts wait for this line; os.Stdout is unbuffered, so it is out
	// as soon as Fprintf returns.
	fmt.Fprintf(stdout, "listening on %s\n", addr)
	fmt.Fprintf(stderr, "seeding %s (%d pieces, %.1f MiB); stop with Ctrl-C\n", ti.Name(), ti.NumPieces(), mib(ti.TotalSize()))
	return w.poll(ctx, time.Second, func(actorrent.TorrentStatus) (bool, error) { return false, nil })
}
