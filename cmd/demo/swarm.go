package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/actorrent/actorrent"
)

// The self-contained swarm that "demo" (and "make demo") runs.
const (
	swarmName        = "actorrent-demo"
	swarmPieceSize   = 256 << 10
	swarmDownloaders = 2
	swarmListen      = "127.0.0.1:0"
	// swarmTimeout keeps a broken engine from hanging "make demo".
	swarmTimeout = 50 * time.Second
)

// swarmPeer is one downloader of the swarm.
type swarmPeer struct {
	name string
	dir  string
	s    *actorrent.Session
	w    *watcher
	res  fetchResult
}

// runSwarm makes a payload in a temporary directory, seeds it from one
// session, downloads it into swarmDownloaders others at once, checks the
// bytes and cleans everything up.
func runSwarm(ctx context.Context, stdout, stderr io.Writer) (err error) {
	ctx, cancel := context.WithTimeoutCause(ctx, swarmTimeout, fmt.Errorf("swarm timed out after %v", swarmTimeout))
	defer cancel()
	defer func() { err = because(ctx, err) }()
	began := time.Now()
	tmp, err := os.MkdirTemp("", "actorrent-demo-")
	if err != nil {
		return err
	}
	// Registered first, so it runs after every session closed its files.
	defer func() { err = errors.Join(err, os.RemoveAll(tmp)) }()

	src, ti, err := swarmPayload(tmp, "actorrent demo")
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "payload %s: %.1f MiB in %d files, %d pieces, info-hash %s\n",
		ti.Name(), mib(ti.TotalSize()), len(ti.Files()), ti.NumPieces(), ti.InfoHash())

	seed, seedAddr, err := startSwarmSeed(ctx, ti, src)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeSession(seed.s)) }()
	defer seed.w.close()
	peers := make([]*swarmPeer, swarmDownloaders)
	for i := range peers {
		p := &swarmPeer{name: fmt.Sprintf("downloader %d", i+1), dir: filepath.Join(tmp, fmt.Sprintf("download%d", i+1))}
		if p.s, err = openSession(ctx, swarmListen); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, closeSession(p.s)) }()
		if p.w, err = addTorrent(ctx, p.s, ti, p.dir); err != nil {
			return err
		}
		defer p.w.close()
		peers[i] = p
	}
	if err := fetchAll(ctx, ti, seedAddr, peers, stderr); err != nil {
		return err
	}
	for _, p := range peers {
		if err := sameTree(src, p.dir); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	printSwarmSummary(stdout, ti, peers, began)
	return nil
}

// swarmPayload writes the swarm's payload under tmp/seed and makes its
// torrent; src is the seed's save path.
func swarmPayload(tmp, createdBy string) (src string, ti *actorrent.TorrentInfo, err error) {
	src = filepath.Join(tmp, "seed")
	if err := writePayload(filepath.Join(src, swarmName), swarmFiles, 1); err != nil {
		return "", nil, err
	}
	ti, err = actorrent.CreateTorrent(filepath.Join(src, swarmName), actorrent.CreateTorrentOptions{
		PieceSize: swarmPieceSize, CreatedBy: createdBy,
	})
	return src, ti, err
}

// startSwarmSeed starts the seeding session and returns once it seeds,
// with its listen address.
func startSwarmSeed(ctx context.Context, ti *actorrent.TorrentInfo, src string) (*swarmPeer, string, error) {
	s, err := openSession(ctx, swarmListen)
	if err != nil {
		return nil, "", err
	}
	seed := &swarmPeer{name: "seed", dir: src, s: s}
	var addr string
	seed.w, err = addTorrent(ctx, s, ti, src)
	if err == nil {
		err = waitSeeding(ctx, seed.w, ti, src)
	}
	if err == nil {
		addr, err = firstAddr(ctx, s)
	}
	if err != nil {
		if seed.w != nil {
			seed.w.close()
		}
		return nil, "", errors.Join(err, closeSession(s))
	}
	return seed, addr, nil
}

// fetchAll runs every download at once, with one progress bar each. The
// first failure stops the others. Each downloader dials the seed and the
// downloaders before it, so they also trade pieces among themselves.
func fetchAll(ctx context.Context, ti *actorrent.TorrentInfo, seedAddr string, peers []*swarmPeer, stderr io.Writer) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	names, totals := make([]string, len(peers)), make([]int64, len(peers))
	dials := make([][]string, len(peers))
	for i, p := range peers {
		names[i], totals[i] = p.name, ti.TotalSize()
		dials[i] = []string{seedAddr}
		for _, q := range peers[:i] {
			addr, err := firstAddr(ctx, q.s)
			if err != nil {
				return err
			}
			dials[i] = append(dials[i], addr)
		}
		for _, addr := range dials[i] {
			if err := p.w.h.ConnectPeer(ctx, addr); err != nil {
				return fmt.Errorf("%s: peer %s: %w", p.name, addr, err)
			}
		}
	}
	view := newProgressView(stderr, names, totals)
	stop := view.show()
	defer stop()
	var wg sync.WaitGroup
	errs := make([]error, len(peers))
	for i, p := range peers {
		wg.Go(func() {
			report := func(done int64, rate, n int) { view.set(i, done, rate, n) }
			p.res, errs[i] = fetch(ctx, p.w, ti, p.dir, dials[i], true, report) // a new temporary directory
			if errs[i] != nil {
				errs[i] = fmt.Errorf("%s: %w", p.name, errs[i])
				cancel(errs[i])
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err // the first failure, not the cancellations it caused
	}
	return errors.Join(errs...)
}

// printSwarmSummary prints the swarm's results on stdout.
func printSwarmSummary(stdout io.Writer, ti *actorrent.TorrentInfo, peers []*swarmPeer, began time.Time) {
	fmt.Fprintf(stdout, "swarm on 127.0.0.1: 1 seed, %d downloaders, %.1f MiB in %d files (%d pieces)\n",
		len(peers), mib(ti.TotalSize()), len(ti.Files()), ti.NumPieces())
	var total int64
	var slowest time.Duration
	for _, p := range peers {
		secs := p.res.Elapsed.Seconds()
		fmt.Fprintf(stdout, "%s: %.1f MiB in %.2f s (%.1f MiB/s)\n", p.name, mib(p.res.Bytes), secs, mib(p.res.Bytes)/max(secs, 1e-9))
		total += p.res.Bytes
		slowest = max(slowest, p.res.Elapsed)
	}
	fmt.Fprintf(stdout, "verified %d copies byte for byte: %.1f MiB delivered in %.2f s (%.1f MiB/s); whole run %.2f s\n",
		len(peers), mib(total), slowest.Seconds(), mib(total)/max(slowest.Seconds(), 1e-9), time.Since(began).Seconds())
}
