package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/scalefmt"
)

// The scale lines (issue 9, idle torrents cost nothing), each side in a
// fresh process of its own (ours: `demo scale`, cmd/demo/scale.go;
// libtorrent: lt_scale.py), with the same torrents (one 16 KiB file each)
// and the same loopback-only settings:
//
//   - scale_add_100k_paused: seconds to parse and add 100k paused torrents
//     (AsyncAddTorrent / async_add_torrent, until every add_torrent alert
//     came), and VmRSS after less VmRSS before, per torrent. Ours is read
//     after a GC that returns free pages (the runtime would within
//     minutes); goals under 2 s and 4 KiB.
//   - scale_idle_cpu_10k: % of one core used over 10 s by a process holding
//     10k started torrents without peers or trackers; goal under 1%.
//   - scale_status_10k: ms for one bulk status of those 10k once idle
//     (libtorrent's get_torrent_status, our GetTorrentStatus), the median
//     of 5; goal under 50 ms.
//   - scale_close_10k: seconds for Close (libtorrent: deleting the
//     session) with those 10k torrents; goal under 1 s.
const (
	lineScaleAdd    = "scale_add_100k_paused"
	lineScaleIdle   = "scale_idle_cpu_10k"
	lineScaleStatus = "scale_status_10k"
	lineScaleClose  = "scale_close_10k"

	scaleAddTorrents  = 100_000
	scaleIdleTorrents = 10_000
	scaleIdleSeconds  = 10
)

// scaleResult is what either side's child prints.
type scaleResult = scalefmt.Result

//go:embed lt_scale.py
var ltScaleScript []byte

// benchScale prints the scale lines that c runs.
func benchScale(ctx context.Context, c config, demo, work string, stdout io.Writer) error {
	if c.runsLine(lineScaleAdd) {
		var ours, lt scaleResult
		var err error
		if ours, lt, err = scaleSides(ctx, c, demo, work, "add", strconv.Itoa(scaleAddTorrents)); err != nil {
			return err
		}
		perTorrent := func(r scaleResult) float64 {
			if r.RSSAfterKiB == 0 {
				return nan()
			}
			return float64(r.RSSAfterKiB-r.RSSBeforeKiB) / scaleAddTorrents
		}
		fmt.Fprintln(stdout, benchLine(lineScaleAdd, "s", 2, orNaN(ours.Seconds), orNaN(lt.Seconds)))
		fmt.Fprintln(stdout, benchLine(lineScaleAdd+"_rss", "KiB/torrent", 2, perTorrent(ours), perTorrent(lt)))
		fmt.Fprintf(stdout, "# %s: %d torrents; ours VmRSS %d → %d KiB (Go heap in use %d KiB), libtorrent %d → %d KiB\n",
			lineScaleAdd, scaleAddTorrents, ours.RSSBeforeKiB, ours.RSSAfterKiB, ours.HeapKiB, lt.RSSBeforeKiB, lt.RSSAfterKiB)
	}
	if !c.runsLine(lineScaleIdle) && !c.runsLine(lineScaleStatus) && !c.runsLine(lineScaleClose) {
		return nil
	}
	ours, lt, err := scaleSides(ctx, c, demo, work, "idle", strconv.Itoa(scaleIdleTorrents), strconv.Itoa(scaleIdleSeconds))
	if err != nil {
		return err
	}
	pct := func(r scaleResult) float64 {
		if r.WallSeconds == 0 {
			return nan()
		}
		return 100 * r.CPUSeconds / r.WallSeconds
	}
	if c.runsLine(lineScaleIdle) {
		fmt.Fprintln(stdout, benchLine(lineScaleIdle, "% of a core", 2, pct(ours), pct(lt)))
	}
	if c.runsLine(lineScaleStatus) {
		fmt.Fprintln(stdout, benchLine(lineScaleStatus, "ms", 1, orNaN(ours.StatusSeconds*1000), orNaN(lt.StatusSeconds*1000)))
	}
	if c.runsLine(lineScaleClose) {
		fmt.Fprintln(stdout, benchLine(lineScaleClose, "s", 2, orNaN(ours.CloseSeconds), orNaN(lt.CloseSeconds)))
	}
	fmt.Fprintf(stdout, "# scale_*_10k: %d started torrents added in ours %.2fs, libtorrent %.2fs; status (median of 5) of %d and %d; CPU over %.1fs and %.1fs\n",
		scaleIdleTorrents, ours.AddSeconds, lt.AddSeconds, ours.StatusCount, lt.StatusCount, ours.WallSeconds, lt.WallSeconds)
	return nil
}

// scaleSides runs the child of each side c wants with args; a side not
// run has a zero result (printed as n/a).
func scaleSides(ctx context.Context, c config, demo, work string, args ...string) (ours, lt scaleResult, err error) {
	save := filepath.Join(work, "scale-"+args[0])
	if err := os.MkdirAll(save, 0o755); err != nil {
		return ours, lt, err
	}
	defer os.RemoveAll(save)
	full := append(args[:1:1], append([]string{args[1], save}, args[2:]...)...)
	if c.wants(sideOurs) {
		cmd := exec.CommandContext(ctx, demo, append([]string{"scale"}, full...)...)
		if ours, err = runScaleProcess(cmd); err != nil {
			return ours, lt, fmt.Errorf("bench: %s ours: %w", args[0], err)
		}
	}
	if c.wants(sideLibtorrent) {
		if err := interop.Available(); err != nil {
			return ours, lt, err
		}
		script := filepath.Join(work, "lt_scale.py")
		if err := os.WriteFile(script, ltScaleScript, 0o644); err != nil {
			return ours, lt, err
		}
		cmd := exec.CommandContext(ctx, interop.Python, append([]string{script}, full...)...)
		if lt, err = runScaleProcess(cmd); err != nil {
			return ours, lt, fmt.Errorf("bench: %s libtorrent: %w", args[0], err)
		}
	}
	return ours, lt, nil
}

// runScaleProcess runs a child to its end and reads its JSON result.
func runScaleProcess(cmd *exec.Cmd) (scaleResult, error) {
	var r scaleResult
	cmd.SysProcAttr = procAttr()
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	cmd.WaitDelay = 5 * time.Second
	var stdout bytes.Buffer
	var stderr interop.TailBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return r, fmt.Errorf("%w\n--- stderr ---\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &r); err != nil {
		return r, fmt.Errorf("%w: %q", err, stdout.String())
	}
	return r, nil
}

// orNaN is v, or NaN when zero (a side that did not run).
func orNaN(v float64) float64 {
	if v == 0 {
		return nan()
	}
	return v
}
