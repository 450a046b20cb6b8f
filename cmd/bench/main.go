// Command bench is `make bench`: it measures actorrent against libtorrent
// on the same machine in the same run and prints one line per figure,
// "name: ours=X libtorrent=Y ratio=R" (ratio = ours/libtorrent), with
// per-run details on lines starting with "#".
//
// Its first line is download_tcp_1gib: a 1 GiB single-file torrent with
// 1 MiB pieces, served by one python3-libtorrent seeder on 127.0.0.1 over
// TCP, downloaded alternately by `demo download` (ours) and by a
// python3-libtorrent downloader, -runs times each; every download is
// checked by SHA-1 and deleted. Figures are medians: wall MiB/s, CPU
// seconds per GiB, and peak RSS.
//
// Then recheck_1gib_single and recheck_1gib_multi (recheck.go): a full
// check of 1 GiB warm in the page cache, as one file and as 200, by `demo
// check` and by libtorrent, next to the SHA-1 limit measured in the same
// run.
//
// ipfilter_load_100k (ipfilter.go) loads a blocklist of 100k ranges.
//
// scale_add_100k_paused, scale_idle_cpu_10k, scale_status_10k and
// scale_close_10k (scale.go) measure what torrents cost when idle.
//
// ratelimit_2MBps (ratelimit.go) measures how closely a 2 MB/s upload and
// download limit holds over 10 s, and how evenly two peers share one.
//
// scale_status_10k (scale_status.go) times one GetTorrentStatus of 10k
// paused torrents against libtorrent's get_torrent_status.
//
// seed_to_lt_256mib (seedlt.go) is our `demo seed` serving a libtorrent
// downloader 256 MiB against libtorrent's seeder serving the same one.
//
// swarm_6_leechers_ratelimited and swarm_1_seed_20_leechers (swarm.go):
// seconds until the last of 6 leechers (a libtorrent seed at 1 MB/s) or of
// 20 (each side's own unlimited seed) has the file, leechers finding each
// other through opentracker, ours against libtorrent's.
//
// hostile_storms_cpu (storm.go): for each hostile storm of
// hostile_bounded_test.go, 2M messages from a raw peer against a fresh
// seeder, ours and libtorrent's: the seeder's CPU seconds per million
// messages, and (hostile_storms_rss) its peak anonymous memory growth.
//
// utp_download_from_lt, utp_vs_tcp_ours and utp_download_from_lt_lossy
// (utp.go): downloads over uTP only, from a uTP-only libtorrent seeder
// (ours against libtorrent's downloader; the lossy one through udprelay)
// and ours to ours against TCP. Until `demo download` has -transport,
// they print libtorrent's side only.
//
// dht_trackerless_magnet_20 (dht.go): seconds to the metadata and to the
// whole file of a trackerless magnet download through a 20-node loopback
// DHT, from a libtorrent seeder, ours against libtorrent's downloader.
//
//	go run ./cmd/bench [-runs 3] [-size 1GiB] [-only ours|libtorrent]
//	    [-lines download_tcp_1gib,recheck_1gib_single,recheck_1gib_multi,ipfilter_load_100k,ratelimit_2MBps,
//	    scale_add_100k_paused,scale_idle_cpu_10k,scale_status_10k,scale_close_10k,seed_to_lt_256mib,
//	    swarm_6_leechers_ratelimited,swarm_1_seed_20_leechers,hostile_storms_cpu,
//	    utp_download_from_lt,utp_vs_tcp_ours,utp_download_from_lt_lossy,dht_trackerless_magnet_20]
//	    [-dir DIR] [-cpuprofile DIR] [-timeout 10m] [-demo BIN] [-no-prime]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main with its exit code returned, so that deferred cleanup (the
// seeder, temp dirs) runs before the process exits.
func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := bench(ctx, c, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		if ctx.Err() != nil {
			return 130 // interrupted
		}
		return 1
	}
	return 0
}

// bench does the whole measurement; everything it starts or creates is
// stopped or removed before it returns.
func bench(ctx context.Context, c config, stdout, stderr io.Writer) error {
	parent := c.dir
	if parent == "" {
		parent = os.TempDir()
	}
	work, err := os.MkdirTemp(parent, "actorrent-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if c.cpuProfile != "" {
		if c.cpuProfile, err = filepath.Abs(c.cpuProfile); err != nil {
			return err
		}
		if err := os.MkdirAll(c.cpuProfile, 0o755); err != nil {
			return err
		}
	}

	if c.runsLine(lineIPFilter) { // seconds, before the long lines
		if err := benchIPFilter(ctx, c, work, stdout); err != nil {
			return err
		}
	}

	// The download's seed file is also recheck_1gib_single's.
	var p payload
	if c.runsLine(lineDownload) || c.runsLine(lineRecheckSingle) {
		t0 := time.Now()
		if p, err = makePayload(ctx, work, c.size); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "# payload %d bytes, %d-byte pieces, sha1 %x, made in %.1fs\n",
			p.size, pieceLength, p.sha1, time.Since(t0).Seconds())
		syscall.Sync() // its dirty pages must not be written back during run 1
	}

	demo := c.demo
	if c.wants(sideOurs) && demo == "" {
		if demo, err = buildDemo(ctx, work); err != nil {
			return err
		}
	}
	if err := benchScale(ctx, c, demo, work, stdout); err != nil {
		return err
	}
	if c.runsLine(lineRateLimit) {
		if err := benchRateLimit(ctx, c, demo, work, stdout); err != nil {
			return err
		}
	}
	if c.runsLine(lineSeedToLT) {
		if err := benchSeedToLT(ctx, c, demo, work, stdout); err != nil {
			return err
		}
	}
	if err := benchSwarm(ctx, c, demo, work, stdout); err != nil {
		return err
	}
	if err := benchStorms(ctx, c, demo, work, stdout); err != nil {
		return err
	}
	if c.runsLine(lineDownload) {
		if err := benchDownload(ctx, c, demo, p, work, stdout, stderr); err != nil {
			return err
		}
	}
	if err := benchUTP(ctx, c, demo, work, stdout, stderr); err != nil {
		return err
	}
	if err := benchDHT(ctx, c, demo, work, stdout); err != nil {
		return err
	}
	return benchRecheck(ctx, c, demo, p, work, stdout)
}

// benchDownload is the download_tcp_1gib lines.
func benchDownload(ctx context.Context, c config, demo string, p payload, work string, stdout, stderr io.Writer) error {
	t0 := time.Now()
	seeder, err := startSeeder(ctx, p)
	if err != nil {
		return err
	}
	defer seeder.Stop()
	fmt.Fprintf(stdout, "# libtorrent seeder at %s, seeding after %.1fs\n", seeder.Addr(), time.Since(t0).Seconds())
	if !c.noPrime {
		fmt.Fprintln(stdout, "# before each download, both sides: a payload's worth of page cache written and freed (-no-prime skips it)")
	}

	seederPID := childWithArg(p.dir)
	var results []result
	for i := 1; i <= c.runs; i++ {
		for _, side := range []string{sideOurs, sideLibtorrent} {
			if !c.wants(side) {
				continue
			}
			cpu0 := cpuTime(seederPID)
			r, err := download(ctx, c, transfer{line: lineDownload}, side, demo, p, seeder.Addr(), filepath.Join(work, fmt.Sprintf("dl-%s-%d", side, i)), i)
			if cpu0 > 0 {
				r.seeder = cpuTime(seederPID) - cpu0 // verification included, but the seeder idles then
			}
			if err == nil && isClosed(seeder.Exited()) {
				err = errors.New("the libtorrent seeder exited during the run")
			}
			if err != nil {
				if !errors.Is(err, ErrVerify) && ctx.Err() == nil { // the seeder may explain a failed transfer
					fmt.Fprintf(stderr, "--- seeder log (tail) ---\n%s\n", tail(seeder.Log(), 20))
				}
				return err
			}
			fmt.Fprintln(stdout, r.detail(p.size))
			results = append(results, r)
		}
	}
	for _, l := range summary(lineDownload, results, p.size) {
		fmt.Fprintln(stdout, l)
	}
	return nil
}

// transfer is what differs between the download lines: download_tcp_1gib
// runs both downloaders as they are; the uTP lines give the demo
// "-transport utp" and the libtorrent downloader uTP only.
type transfer struct {
	line     string   // the bench line, for profile names
	demoArgs []string // extra `demo download` flags
	utpOnly  bool     // the libtorrent downloader speaks uTP only
}

// profile is the file name of our run's CPU profile (download_tcp_1gib
// keeps the names it always had).
func (tr transfer) profile(run int) string {
	if tr.line == lineDownload {
		return fmt.Sprintf("ours-%d.prof", run)
	}
	return fmt.Sprintf("%s-ours-%d.prof", tr.line, run)
}

// download runs one side once, verifies the file and removes saveDir.
func download(ctx context.Context, c config, tr transfer, side, demo string, p payload, seeder, saveDir string, run int) (result, error) {
	defer func() {
		_ = os.RemoveAll(saveDir)
		syscall.Sync() // start the next run from a quiet disk
	}()
	var r result
	if !c.noPrime {
		if err := primePages(filepath.Dir(saveDir), p.size); err != nil {
			return r, fmt.Errorf("priming the page cache: %w", err)
		}
	}
	var err error
	if side == sideOurs {
		r, err = runOurs(ctx, c, tr, demo, p, seeder, saveDir, run)
	} else {
		r, err = runLibtorrent(ctx, c, tr, p, seeder, saveDir, run)
	}
	if err != nil {
		return r, err
	}
	if err := verify(ctx, p, saveDir); err != nil {
		return r, fmt.Errorf("%s run %d: %w", side, run, err)
	}
	return r, nil
}
