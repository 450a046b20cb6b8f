package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// ErrUTP means a uTP line's own process (our seeder) failed.
var ErrUTP = errors.New("bench: uTP line failed")

// Transports of utp_vs_tcp_ours, in the order each run measures them.
const (
	transportUTP = "utp"
	transportTCP = "tcp"
)

// utpVsTCPLine prints utp_vs_tcp_ours: `demo seed` serving p to `demo
// download`, both given the same -transport, uTP then TCP in each run, a
// fresh seeder every time (its check leaves p in the page cache for both).
// Lines: wall MiB/s and the downloader's CPU s per GiB, ratio uTP/TCP,
// and the seeder's CPU s per GiB.
func utpVsTCPLine(ctx context.Context, c config, demo string, p payload, stdout io.Writer) error {
	var rate, cpu, seederCPU [2][]float64 // index 0 uTP, 1 TCP
	gib := float64(p.size) / (1 << 30)
	for i := 1; i <= c.runs; i++ {
		for t, transport := range []string{transportUTP, transportTCP} {
			r, err := oursToOurs(ctx, c, demo, p, transport, i)
			if err != nil {
				return fmt.Errorf("%s: %w", lineUTPvsTCP, err)
			}
			fmt.Fprintf(stdout, "# %s %s\n", lineUTPvsTCP, strings.TrimPrefix(r.detail(p.size), "# "))
			a, b, _ := r.metrics(p.size)
			rate[t] = append(rate[t], a)
			cpu[t] = append(cpu[t], b)
			if r.seeder > 0 {
				seederCPU[t] = append(seederCPU[t], r.seeder.Seconds()/gib)
			}
		}
	}
	fmt.Fprintln(stdout, pairLine(lineUTPvsTCP, transportUTP, transportTCP, "MiB/s", 1, median(rate[0]), median(rate[1])))
	fmt.Fprintln(stdout, pairLine(lineUTPvsTCP+"_cpu", transportUTP, transportTCP, "s/GiB", 2, median(cpu[0]), median(cpu[1])))
	fmt.Fprintln(stdout, pairLine(lineUTPvsTCP+"_seeder_cpu", transportUTP, transportTCP, "s/GiB", 2, median(seederCPU[0]), median(seederCPU[1])))
	fmt.Fprintf(stdout, "# %s: goal ratio >= 0.7 (MiB/s)\n", lineUTPvsTCP)
	return nil
}

// oursToOurs is one download of p from a fresh `demo seed`, both over
// transport only; the result's side is the transport.
func oursToOurs(ctx context.Context, c config, demo string, p payload, transport string, run int) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout+seederStartTimeout)
	defer cancel()
	seed, err := startChild(ctx, demo, "seed", "-transport", transport, "-listen", "127.0.0.1:0", "-resume-dir", "", p.torrent, p.dir)
	if err != nil {
		return result{}, err
	}
	defer seed.stop()
	seed.kind = ErrUTP
	line, err := seed.waitLine(ctx, "listening on ")
	if err != nil {
		return result{}, err
	}
	pid := seed.cmd.Process.Pid
	tr := transfer{line: lineUTPvsTCP + "-" + transport, demoArgs: []string{"-transport", transport}}
	saveDir := filepath.Join(filepath.Dir(p.dir), fmt.Sprintf("dl-%s-%d", transport, run))
	cpu0 := cpuTime(pid)
	r, err := download(ctx, c, tr, sideOurs, demo, p, strings.TrimPrefix(line, "listening on "), saveDir, run)
	if err != nil {
		return r, fmt.Errorf("%w\n--- seeder stderr ---\n%s", err, tail(seed.stderr.String(), 20))
	}
	if cpu0 > 0 {
		r.seeder = cpuTime(pid) - cpu0
	}
	r.side = transport
	return r, nil
}
