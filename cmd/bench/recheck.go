package main

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/actorrent/actorrent/internal/hashing"
)

// ErrRecheck means a recheck run failed or did not find every piece.
var ErrRecheck = errors.New("bench: recheck failed")

// multiFiles is how many files recheck_1gib_multi spreads its bytes over.
const multiFiles = 200

// limitBytes is how much the SHA-1 limit hashes per measurement: about
// half a second on one core, like a check of 1 GiB on two.
const limitBytes = 1 << 30

// recheckRun is one round of a recheck line: the SHA-1 limit measured
// just before, then each side once. Figures are GiB/s; NaN when not run.
type recheckRun struct {
	run                         int
	limit                       float64 // crypto/sha1 on one core × cores
	allCores                    float64 // crypto/sha1 on every core at once
	ours, lt                    float64
	limitNote, oursNote, ltNote string
}

// benchRecheck runs the recheck lines asked for: a full check of the
// payload warm in the page cache by `demo check` and by libtorrent, -runs
// rounds each, every round with its own SHA-1 limit (the machine is shared:
// a limit measured at another moment would not compare).
func benchRecheck(ctx context.Context, c config, demo string, single payload, work string, stdout io.Writer) error {
	layouts := []struct {
		line string
		make func() (checkPayload, error)
	}{
		{lineRecheckSingle, func() (checkPayload, error) {
			return checkPayload{torrent: single.torrent, save: single.dir, size: single.size, files: 1}, nil
		}},
		{lineRecheckMulti, func() (checkPayload, error) {
			t0 := time.Now()
			p, err := makeMultiPayload(ctx, filepath.Join(work, "multi"), c.size, multiFiles)
			if err == nil {
				fmt.Fprintf(stdout, "# %s payload: %d files, %d bytes, made in %.1fs\n",
					lineRecheckMulti, p.files, p.size, time.Since(t0).Seconds())
				syscall.Sync() // no write-back of it during the checks
			}
			return p, err
		}},
	}
	for _, l := range layouts {
		if !c.runsLine(l.line) {
			continue
		}
		p, err := l.make()
		if err != nil {
			return err
		}
		if err := warm(p); err != nil {
			return err
		}
		var runs []recheckRun
		for i := 1; i <= c.runs; i++ {
			r, err := recheckRound(ctx, c, demo, l.line, p, i)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, r.detail(l.line))
			runs = append(runs, r)
		}
		for _, line := range recheckSummary(l.line, runs) {
			fmt.Fprintln(stdout, line)
		}
	}
	return nil
}

// recheckRound measures the limit, then ours, then libtorrent, once.
func recheckRound(ctx context.Context, c config, demo, line string, p checkPayload, run int) (recheckRun, error) {
	r := recheckRun{run: run, ours: nan(), lt: nan()}
	perCore, d := sha1PerCore(limitBytes)
	r.limit = perCore * float64(runtime.NumCPU())
	// What the cores give together right now: below the limit when
	// something else runs on the machine (the checks suffer as much).
	r.allCores = sha1AllCores(limitBytes)
	r.limitNote = fmt.Sprintf("one core %.2f GiB/s in %.2fs × %d cores; all cores at once %.2f GiB/s",
		perCore, d.Seconds(), runtime.NumCPU(), r.allCores)
	if hashing.Accelerated() {
		// Ours hashes two pieces at once: its own ceiling, for reference.
		r.limitNote += fmt.Sprintf("; two pieces at a time (internal/hashing) %.2f GiB/s per core", pairPerCore(limitBytes))
	}
	if c.wants(sideOurs) {
		prof := ""
		if c.cpuProfile != "" {
			prof = filepath.Join(c.cpuProfile, fmt.Sprintf("%s-%d.prof", line, run))
		}
		o, err := checkOurs(ctx, c, demo, p, prof)
		if err != nil {
			return r, fmt.Errorf("%w: %s ours run %d: %w", ErrRecheck, line, run, err)
		}
		r.ours, r.oursNote = o.rate, o.note
	}
	if c.wants(sideLibtorrent) {
		o, err := checkLibtorrent(ctx, c, p)
		if err != nil {
			return r, fmt.Errorf("%w: %s libtorrent run %d: %w", ErrRecheck, line, run, err)
		}
		r.lt, r.ltNote = o.rate, o.note
	}
	return r, nil
}

// sha1PerCore is crypto/sha1's speed on one goroutine in GiB/s, over n
// bytes in 1 MiB pieces (the bench torrents' piece size).
func sha1PerCore(n int64) (float64, time.Duration) {
	buf := make([]byte, pieceLength)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	start := time.Now()
	for done := int64(0); done < n; done += int64(len(buf)) {
		sha1.Sum(buf)
	}
	d := time.Since(start)
	return float64(n) / (1 << 30) / d.Seconds(), d
}

// pairPerCore is internal/hashing's speed on one goroutine in GiB/s, over
// n bytes hashed two 1 MiB pieces at a time.
func pairPerCore(n int64) float64 {
	a, b := make([]byte, pieceLength), make([]byte, pieceLength)
	p := hashing.NewPair()
	start := time.Now()
	for done := int64(0); done < n; done += 2 * pieceLength {
		p.Reset()
		p.Write(a, b)
		p.Sums()
	}
	return float64(n) / (1 << 30) / time.Since(start).Seconds()
}

// sha1AllCores is crypto/sha1's speed in GiB/s on one goroutine per core
// at once, n bytes in all.
func sha1AllCores(n int64) float64 {
	cores := runtime.NumCPU()
	var wg sync.WaitGroup
	start := time.Now()
	for range cores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sha1PerCore(n / int64(cores))
		}()
	}
	wg.Wait()
	return float64(n) / (1 << 30) / time.Since(start).Seconds()
}

// warm reads every file of p once, so that the checks find it in the page
// cache (the line measures hashing, not the disk).
func warm(p checkPayload) error {
	buf := make([]byte, 4<<20)
	return filepath.WalkDir(p.save, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.CopyBuffer(io.Discard, f, buf)
		return err
	})
}
