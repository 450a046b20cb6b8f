package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/interop/udprelay"
)

// The uTP lines (issue 11, part 6), on 127.0.0.1 with TCP off on both
// sides of every transfer:
//
//   - utp_download_from_lt: a python3-libtorrent seeder speaking uTP only
//     (lt_peer.py --utp-only); `demo download -transport utp` against
//     lt_peer.py's own uTP-only downloader, alternately, -runs times each.
//     Each side keeps the socket buffers it sets by default (libtorrent:
//     the kernel's, which cost it most of its speed on loopback). Figures
//     and their measurement are download_tcp_1gib's (wall MiB/s, CPU s
//     per GiB, peak RSS); the goal is ratio >= 2.
//   - utp_download_from_lt_lossy: the same through udprelay with 1% loss
//     and 20 ms of delay each way (no netem here), a smaller payload.
//   - utp_vs_tcp_ours (utp_ours.go): ours to ours over uTP against ours
//     to ours over TCP, ratio uTP/TCP; the goal is 0.7 or more.
//
// The payload is min(-size, 256 MiB) (16 MiB lossy): libtorrent's uTP
// runs at about 5 MiB/s with default buffers, and under 1% loss and
// 40 ms of round trip at about 0.6 MiB/s (measured here, 2026-12-06), so
// 1 GiB would take minutes a run.
const (
	lineUTPFromLT      = "utp_download_from_lt"
	lineUTPFromLTLossy = "utp_download_from_lt_lossy"
	lineUTPvsTCP       = "utp_vs_tcp_ours"

	utpSize      = 256 << 20
	utpLossySize = 16 << 20
)

// utpLossy is what the relay does to each direction on the lossy line.
var utpLossy = udprelay.Impairment{Loss: 0.01, Delay: 20 * time.Millisecond}

// utpFromLT is the demo and libtorrent downloaders' uTP-only transfer.
func utpFromLT(line string) transfer {
	return transfer{line: line, demoArgs: []string{"-transport", "utp"}, utpOnly: true}
}

// benchUTP prints the uTP lines that -lines asks for.
func benchUTP(ctx context.Context, c config, demo, work string, stdout, stderr io.Writer) error {
	// utp_vs_tcp_ours is ours alone: -only libtorrent leaves it out.
	fromLT, lossy, vsTCP := c.runsLine(lineUTPFromLT), c.runsLine(lineUTPFromLTLossy), c.runsLine(lineUTPvsTCP) && c.wants(sideOurs)
	if !fromLT && !lossy && !vsTCP {
		return nil
	}
	if c.wants(sideOurs) {
		if ok, err := demoHasFlag(ctx, demo, "download", "transport"); err != nil {
			return err
		} else if !ok {
			// Until the engine speaks uTP, the lines measure libtorrent
			// alone rather than fail the bench.
			fmt.Fprintf(stdout, "# uTP lines: %s download has no -transport flag: ours skipped\n", demo)
			if c.only == sideOurs {
				return nil
			}
			c.only, vsTCP = sideLibtorrent, false
		}
	}
	dir := filepath.Join(work, "utp")
	defer os.RemoveAll(dir)
	if fromLT || vsTCP {
		p, err := makePayload(ctx, filepath.Join(dir, "plain"), min(c.size, utpSize))
		if err != nil {
			return err
		}
		if fromLT {
			if err := utpFromLTLine(ctx, c, lineUTPFromLT, demo, p, nil, stdout, stderr); err != nil {
				return err
			}
		}
		if vsTCP {
			if err := utpVsTCPLine(ctx, c, demo, p, stdout); err != nil {
				return err
			}
		}
	}
	if lossy {
		p, err := makePayload(ctx, filepath.Join(dir, "lossy"), min(c.size, utpLossySize))
		if err != nil {
			return err
		}
		imp := utpLossy
		return utpFromLTLine(ctx, c, lineUTPFromLTLossy, demo, p, &imp, stdout, stderr)
	}
	return nil
}

// utpFromLTLine runs line: a uTP-only libtorrent seeder of p, downloaded
// by each side in turn, through a relay impairing both directions by imp
// when imp is not nil (a fresh relay a run, seeded by the run number).
func utpFromLTLine(ctx context.Context, c config, line, demo string, p payload, imp *udprelay.Impairment, stdout, stderr io.Writer) error {
	seeder, err := startSeederWith(ctx, interop.Options{Torrent: p.torrent, Save: p.dir, UTPOnly: true})
	if err != nil {
		return err
	}
	defer seeder.Stop()
	target, err := netip.ParseAddrPort(seeder.Addr())
	if err != nil {
		return err
	}
	if imp != nil {
		fmt.Fprintf(stdout, "# %s: through udprelay, each way: loss %.1f%%, delay %v\n", line, imp.Loss*100, imp.Delay)
	}
	seederPID := childWithArg(p.dir)
	var results []result
	for i := 1; i <= c.runs; i++ {
		for _, side := range []string{sideOurs, sideLibtorrent} {
			if !c.wants(side) {
				continue
			}
			r, relayed, err := utpRun(ctx, c, line, side, demo, p, target, imp, seederPID, i)
			if err == nil && isClosed(seeder.Exited()) {
				err = errors.New("the libtorrent seeder exited during the run")
			}
			if err != nil {
				if !errors.Is(err, ErrVerify) && ctx.Err() == nil {
					fmt.Fprintf(stderr, "--- %s seeder log (tail) ---\n%s\n", line, tail(seeder.Log(), 20))
				}
				return fmt.Errorf("%s: %w", line, err)
			}
			fmt.Fprintf(stdout, "# %s %s%s\n", line, strings.TrimPrefix(r.detail(p.size), "# "), relayed)
			results = append(results, r)
		}
	}
	for _, l := range summary(line, results, p.size) {
		fmt.Fprintln(stdout, l)
	}
	if imp == nil {
		fmt.Fprintf(stdout, "# %s: goal ratio >= 2 (MiB/s), libtorrent with its default socket buffers\n", line)
	}
	return nil
}

// utpRun is one download of line by side, through a relay when imp is
// set; relayed describes the relay's counters for the detail line.
func utpRun(ctx context.Context, c config, line, side, demo string, p payload, target netip.AddrPort, imp *udprelay.Impairment, seederPID, run int) (r result, relayed string, err error) {
	addr := target.String()
	var relay *udprelay.Relay
	if imp != nil {
		if relay, err = udprelay.New(udprelay.Config{Target: target, Up: *imp, Down: *imp, Seed: uint64(run)}); err != nil {
			return r, "", err
		}
		defer relay.Close()
		addr = relay.Addr().String()
	}
	cpu0 := cpuTime(seederPID)
	saveDir := filepath.Join(filepath.Dir(p.dir), fmt.Sprintf("dl-%s-%d", side, run))
	r, err = download(ctx, c, utpFromLT(line), side, demo, p, addr, saveDir, run)
	if cpu0 > 0 {
		r.seeder = cpuTime(seederPID) - cpu0
	}
	if relay != nil {
		st := relay.Stats()
		relayed = fmt.Sprintf(" relay: up %d sent %d lost, down %d sent %d lost, %d over bounds",
			st.Up.Forwarded, st.Up.Dropped, st.Down.Forwarded, st.Down.Dropped, st.Up.Overflow+st.Down.Overflow)
	}
	return r, relayed, err
}

// demoHasFlag reports whether `demo sub -h` lists -flag.
func demoHasFlag(ctx context.Context, demo, sub, flag string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, demo, sub, "-h").CombinedOutput()
	if ctx.Err() != nil {
		return false, fmt.Errorf("bench: %s %s -h: %w", demo, sub, err)
	}
	// -h exits non-zero on some flag sets; the usage text is what counts.
	return strings.Contains(string(out), "\n  -"+flag+" ") || strings.Contains(string(out), "\n  -"+flag+"\n"), nil
}
