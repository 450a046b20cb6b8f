package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/actorrent/actorrent"
)

const downloadSynopsis = "demo download [-listen ADDR] [-transport tcp|utp|both] [-lsd] [-dht] [-dht-bootstrap HOST:PORT,...] [-peer HOST:PORT]... [-ip-filter FILE] [-timeout D] [-up-limit BYTES] [-down-limit BYTES] [-metrics ADDR] " +
	"[-http ADDR] [-seed] [-resume-dir DIR] [-resume-interval D] [-v] [-cpuprofile FILE] [-memprofile FILE] -o SAVE_PATH TORRENT_OR_MAGNET"

// runDownload downloads a torrent into SAVE_PATH from the given peers and
// those its trackers return, and returns once every piece is verified on
// disk. In place of a .torrent file it takes a magnet link: the metadata
// then comes from the peers its tr= trackers and x.pe name (and -peer),
// and from the DHT's (-dht; a trackerless magnet with -dht-bootstrap uses
// it by default).
func runDownload(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("download", downloadSynopsis, stdout)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
	set := addSettingsFlags(fs)
	addTransportFlag(fs, set)
	dht := addDHTFlags(fs)
	addIPFilterFlag(fs, set)
	addLSDFlag(fs, set)
	limits := addLimitFlags(fs.FlagSet)
	metrics := addMetricsFlag(fs.FlagSet)
	httpFiles := addHTTPFlag(fs.FlagSet)
	var peers stringList
	fs.Var(&peers, "peer", "`HOST:PORT` of a peer to connect to (repeatable)")
	out := fs.String("o", "", "save path: the torrent's files go in it (required; created if missing)")
	timeout := fs.Duration("timeout", 0, "give up after this long (0: never)")
	rf := addResumeFlags(fs.FlagSet)
	verbose := fs.Bool("v", false, "log on stderr the pieces had after the check and each piece verified")
	seedAfter := fs.Bool("seed", false, "once downloaded, keep seeding until interrupted (or -timeout)")
	prof := addProfileFlags(fs.FlagSet)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 1:
		return usageErrorf("download: want exactly one TORRENT or magnet link, got %d arguments", len(pos))
	case *out == "":
		return usageErrorf("download: -o SAVE_PATH is required")
	case *timeout < 0:
		return usageErrorf("download: -timeout %v is negative", *timeout)
	}
	if err := checkListen(*listen); err != nil {
		return err
	}
	for _, p := range peers {
		if _, _, err := net.SplitHostPort(p); err != nil {
			return usageErrorf("download: -peer %q: %v", p, err)
		}
	}
	if err := dht.check("download"); err != nil {
		return err
	}
	// Parse before anything touches the disk: a bad torrent writes nothing.
	var ti *actorrent.TorrentInfo
	var ih actorrent.InfoHash
	uri := ""
	if isMagnet(pos[0]) {
		mp, pe, err := actorrent.ParseMagnetURI(pos[0])
		if err != nil {
			return usageErrorf("download: %v", err)
		}
		uri, ih = pos[0], mp.InfoHash
		dht.applyTo(set, len(mp.Trackers) > 0 || len(pe) > 0 || len(peers) > 0)
	} else {
		if ti, err = actorrent.LoadTorrentFile(pos[0]); err != nil {
			return err
		}
		ih = ti.InfoHash()
		dht.applyTo(set, len(ti.Trackers()) > 0 || len(peers) > 0)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	rs, err := rf.saver(*out, ih, stderr)
	if err != nil {
		return err
	}
	if err := prof.start(); err != nil {
		return err
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, *timeout, fmt.Errorf("timed out after %v", *timeout))
		defer cancel()
	}
	defer func() { err = because(ctx, err) }()
	// piece_finished counts the bytes verified in this run (and -v logs
	// each piece).
	mask := alertMask | actorrent.CategoryProgress
	s, err := openSessionWith(ctx, *listen, mask, set)
	if err != nil {
		return errors.Join(err, prof.stop())
	}
	defer func() { err = errors.Join(err, closeSession(s)) }()
	// Profiles end before Close, so the heap profile shows the live engine.
	defer func() { err = errors.Join(err, prof.stop()) }()
	if err := limits.apply(ctx, s); err != nil {
		return err
	}
	stopMetrics, err := metrics.serve(s, stderr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stopMetrics()) }()
	stopHTTP, err := httpFiles.serve(s, ih, stderr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stopHTTP()) }()

	var res fetchResult
	if uri != "" {
		res, err = downloadMagnet(ctx, s, uri, *out, peers, rs, *verbose, stderr)
	} else {
		res, err = download(ctx, s, ti, *out, peers, rs, *verbose, stderr)
	}
	if err != nil {
		return err
	}
	secs := res.Elapsed.Seconds()
	fmt.Fprintf(stdout, "downloaded %d bytes in %.2f s (%.1f MiB/s)\n", res.Bytes, secs, mib(res.Bytes)/max(secs, 1e-9))
	if httpFiles.addr != "" {
		// A media server keeps serving what it downloaded (and seeding).
		fmt.Fprintln(stderr, "download done; serving the files until interrupted")
	}
	if *seedAfter {
		// A swarm's peer that stays, as libtorrent's clients do by
		// default: later leechers get its pieces too.
		addr, err := firstAddr(ctx, s)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "download done; seeding on %s until interrupted\n", addr)
	}
	if httpFiles.addr != "" || *seedAfter {
		<-ctx.Done()
	}
	return nil
}

// download adds ti to s, dials peers and waits for the end with a
// progress view on stderr.
func download(ctx context.Context, s *actorrent.Session, ti *actorrent.TorrentInfo, savePath string,
	peers []string, rs *resumeSaver, verbose bool, stderr io.Writer) (res fetchResult, err error) {
	w, err := addTorrentResuming(ctx, s, ti, savePath, rs)
	if err != nil {
		return fetchResult{}, err
	}
	defer w.close()
	if rs != nil {
		// Also after a failure or a signal: what was verified stays so.
		defer func() { err = errors.Join(err, rs.final(w)) }()
	}
	if verbose {
		w.pieceLog = stderr
	}
	for _, p := range peers {
		if err := w.h.ConnectPeer(ctx, p); err != nil {
			return fetchResult{}, fmt.Errorf("peer %s: %w", p, err)
		}
	}
	view := newProgressView(stderr, []string{ti.Name()}, []int64{ti.TotalSize()})
	stop := view.show()
	defer stop()
	return fetch(ctx, w, ti, savePath, peers, false, func(done int64, rate, n int) { view.set(0, done, rate, n) })
}
