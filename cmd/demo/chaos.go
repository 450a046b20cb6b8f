package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actorrent/actorrent"
	"github.com/actorrent/actorrent/supervisor"
)

// chaosSession is one session of the chaos swarm and what happened to it.
type chaosSession struct {
	name    string
	dir     string
	s       *actorrent.Session
	h       actorrent.TorrentHandle
	cleared atomic.Int64 // torrent errors cleared
	final   actorrent.TorrentStatus
	elapsed time.Duration
}

// runChaos is "demo chaos": the swarm of "demo" (one seed, two
// downloaders) with every session under a fault plan drawn from -seed:
// panics in every kind of actor and in the goroutines they own, disk EIO,
// connection resets. The driver acts as a user of the library would: it
// clears torrent errors, dials again, and retries calls an injected fault
// failed. It succeeds only if every download is byte-identical.
func runChaos(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("chaos", "demo chaos [-seed N] [-rate R] [-timeout D]", stdout)
	seed := fs.Uint64("seed", 1, "seed of the fault plan and of its draws")
	rate := fs.Float64("rate", 0.001, "base probability of a fault, per message (each fault weighs it)")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up after this long")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("chaos takes no arguments")
	}
	if *rate < 0 || *rate > 1 {
		return usageErrorf("-rate %v is not between 0 and 1", *rate)
	}
	ctx, cancel := context.WithTimeoutCause(ctx, *timeout, fmt.Errorf("chaos timed out after %v", *timeout))
	defer cancel()
	defer func() { err = because(ctx, err) }()
	began := time.Now()
	tmp, err := os.MkdirTemp("", "actorrent-chaos-")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(tmp)) }()

	src, ti, err := swarmPayload(tmp, "actorrent demo chaos")
	if err != nil {
		return err
	}
	plan := chaosPlan(*seed, *rate)
	fmt.Fprintf(stderr, "chaos seed %d rate %g: %d fault rules in every session\n", *seed, *rate, len(plan.Rules))
	printPlan(stderr, plan)

	all := []*chaosSession{{name: "seed", dir: src}}
	for i := range swarmDownloaders {
		all = append(all, &chaosSession{name: fmt.Sprintf("downloader %d", i+1), dir: filepath.Join(tmp, fmt.Sprintf("download%d", i+1))})
	}
	for i, cs := range all {
		p := plan
		p.Seed = *seed*uint64(len(all)) + uint64(i) // the same rules, their own draws
		if err := cs.open(ctx, p, ti); err != nil {
			return fmt.Errorf("%s: %w", cs.name, err)
		}
		defer func() { err = errors.Join(err, closeSession(cs.s)) }()
	}
	if err := chaosSwarm(ctx, ti, all, stderr); err != nil {
		return err
	}
	for _, cs := range all[1:] {
		if err := sameTree(src, cs.dir); err != nil {
			return fmt.Errorf("%s: %w", cs.name, err)
		}
	}
	printChaosSummary(ctx, stdout, ti, all, time.Since(began))
	return nil
}

// open starts the session under plan and adds the torrent.
func (cs *chaosSession) open(ctx context.Context, plan supervisor.Plan, ti *actorrent.TorrentInfo) error {
	sp := actorrent.DefaultSettings()
	sp.SetStr(actorrent.ListenInterfaces, swarmListen)
	sp.SetInt(actorrent.AlertMask, int(actorrent.CategoryError))
	sp.SetInt(actorrent.MinReconnectTime, 1) // a dropped peer is dialed again soon
	sp.SetBool(actorrent.EnableLSD, false)   // the swarm is wired by address
	sp.SetBool(actorrent.EnableUPnP, false)  // no gateway asked
	sp.SetBool(actorrent.EnableNATPMP, false)
	// Every peer of the chaos swarm is at 127.0.0.1.
	sp.SetBool(actorrent.AllowMultipleConnectionsPerIP, true)
	s, err := survive(ctx, func() (*actorrent.Session, error) {
		return actorrent.NewSession(ctx, sp, actorrent.WithFaults(plan))
	})
	if err != nil {
		return err
	}
	cs.s = s
	cs.h, err = survive(ctx, func() (actorrent.TorrentHandle, error) {
		return s.AddTorrent(ctx, actorrent.AddTorrentParams{TI: ti, SavePath: cs.dir})
	})
	return err
}

// chaosSwarm waits for the seed to seed, then runs the downloads at once,
// each dialing the seed and the downloaders before it; the seed is kept
// alive (its errors cleared) until they all finish.
func chaosSwarm(ctx context.Context, ti *actorrent.TorrentInfo, all []*chaosSession, stderr io.Writer) error {
	seed := all[0]
	if _, err := seed.keep(ctx, nil, func(st actorrent.TorrentStatus) bool { return st.IsSeeding }); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	addrs := make([]string, len(all))
	for i, cs := range all {
		a, err := survive(ctx, func() ([]string, error) { return cs.s.ListenAddrs(ctx) })
		if err != nil || len(a) == 0 {
			return fmt.Errorf("%s: no listen address: %v", cs.name, err)
		}
		addrs[i] = a[0]
	}
	sctx, stopSeed := context.WithCancel(ctx)
	seedDone := make(chan error, 1)
	go func() {
		_, err := seed.keep(sctx, nil, func(actorrent.TorrentStatus) bool { return false })
		seedDone <- err
	}()
	names, totals := make([]string, len(all)-1), make([]int64, len(all)-1)
	for i, cs := range all[1:] {
		names[i], totals[i] = cs.name, ti.TotalSize()
	}
	view := newProgressView(stderr, names, totals)
	stopView := view.show()
	var wg sync.WaitGroup
	errs := make([]error, len(all))
	for i, cs := range all[1:] {
		wg.Go(func() {
			start := time.Now()
			report := func(st actorrent.TorrentStatus) { view.set(i, st.TotalWantedDone, st.DownloadPayloadRate, st.NumPeers) }
			st, err := cs.keep(ctx, addrs[:i+1], func(st actorrent.TorrentStatus) bool {
				report(st)
				return st.IsFinished && st.NumPieces == ti.NumPieces()
			})
			cs.final, cs.elapsed = st, time.Since(start)
			if err == nil {
				err = waitEmptyFiles(ctx, ti, cs.dir)
			}
			if err != nil {
				errs[i+1] = fmt.Errorf("%s: %w", cs.name, err)
			}
		})
	}
	wg.Wait()
	stopView()
	stopSeed()
	if err := <-seedDone; err != nil && !errors.Is(err, context.Canceled) {
		errs[0] = fmt.Errorf("seed: %w", err)
	}
	return errors.Join(errs...)
}

// keep drives a torrent as a user of the library does under faults: it
// polls the status until done says so, clears the torrent's errors, and
// dials the peers it is not connected to again.
func (cs *chaosSession) keep(ctx context.Context, peers []string, done func(actorrent.TorrentStatus) bool) (actorrent.TorrentStatus, error) {
	t := time.NewTicker(statusInterval)
	defer t.Stop()
	var lastDial time.Time
	for {
		st, err := survive(ctx, func() (actorrent.TorrentStatus, error) { return cs.h.Status(ctx) })
		if err != nil {
			return st, err
		}
		if done(st) {
			return st, nil
		}
		if st.Error != "" {
			if _, err := survive(ctx, func() (struct{}, error) { return struct{}{}, cs.h.ClearError(ctx) }); err != nil {
				return st, err
			}
			cs.cleared.Add(1)
			lastDial = time.Time{} // the error dropped every peer
		} else if now := time.Now(); !checking(st.State) && now.Sub(lastDial) >= 2*time.Second {
			// A peer that failed often enough leaves the peer list
			// (max_failcount): put every peer back, as a tracker's next
			// answer would (one already connected is left alone).
			lastDial = now
			for _, p := range peers {
				if _, err := survive(ctx, func() (struct{}, error) { return struct{}{}, cs.h.ConnectPeer(ctx, p) }); err != nil {
					return st, err
				}
			}
		}
		select {
		case <-ctx.Done():
			return st, context.Cause(ctx)
		case <-t.C:
		}
	}
}

// chaosRetries bounds the retries of one call failed by injected faults.
const chaosRetries = 100

// survive calls f again while it fails with ErrActorFailed: the actor that
// answered failed (a fault), was resumed, and the call can be made again.
func survive[T any](ctx context.Context, f func() (T, error)) (T, error) {
	for i := 0; ; i++ {
		v, err := f()
		if !errors.Is(err, actorrent.ErrActorFailed) || i >= chaosRetries || ctx.Err() != nil {
			return v, err
		}
	}
}
