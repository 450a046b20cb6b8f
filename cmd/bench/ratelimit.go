package main

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// The ratelimit_2MBps lines: how closely a 2 MB/s limit holds over 10 s on
// 127.0.0.1, ours next to libtorrent 2.0.8, every peer a libtorrent one
// except the side measured.
//
//   - up: a seeder limited to 2 MB/s upload (`demo seed -up-limit`, or
//     libtorrent with upload_rate_limit), one unlimited libtorrent leecher;
//     the leecher's payload rate.
//   - down: an unlimited libtorrent seeder, a leecher limited to 2 MB/s
//     download (`demo download -down-limit`, or libtorrent with
//     download_rate_limit). Measured at the leecher, since the seeder's
//     counter runs ahead of it by what the kernel buffers on loopback,
//     and those grow for seconds (libtorrent's seeder sees +17% while
//     its leecher gets -1%). Ours: 24 MiB (about 12.6 s) over the demo's
//     own add-to-finished time, since the demo reports only its total;
//     that includes our start, which costs us a little. libtorrent: the
//     leecher's window, as for up (see ltDownloading).
//   - share_spread: the limited seeder of "up" and two leechers sharing
//     its limit; how far the leechers' rates stray from their mean, in
//     percent (the bar is 20%).
//
// The up and share rates are payload bytes over a 10 s window that starts
// 2 s after the first byte moved (connection set-up and the initial burst
// left out), read every 50 ms by lt_rate.py from the libtorrent leechers'
// counters and interpolated at the window's ends. Both engines charge estimated TCP/IP
// headers to the limit (rate_limit_ip_overhead, on by default in both),
// so the payload rate sits a few percent under the limit. libtorrent puts
// loopback peers in its unlimited local class: lt_rate.py maps every
// address to the global class, as the demo's flags do for us.
const (
	lineRateLimit = "ratelimit_2MBps"
	rateLimit     = 2_000_000
	rateLead      = 2 * time.Second
	rateWindow    = 10 * time.Second
	// rateUpPayload is large enough that no transfer ends within the
	// window: at 2 MB/s, lead and window move 24 MB. rateDownPayload
	// takes a little over 10 s at 2 MB/s.
	rateUpPayload   = 40 << 20
	rateDownPayload = 24 << 20
)

//go:embed lt_rate.py
var ltRateScript []byte

// ErrRateLimit means a ratelimit_2MBps measurement failed.
var ErrRateLimit = errors.New("bench: ratelimit_2MBps failed")

// benchRateLimit prints the ratelimit_2MBps lines.
func benchRateLimit(ctx context.Context, c config, demo, work string, stdout io.Writer) error {
	if err := interop.Available(); err != nil {
		return err // every measurement has libtorrent peers
	}
	dir := filepath.Join(work, "ratelimit")
	defer os.RemoveAll(dir)
	r := rateRig{c: c, demo: demo, dir: dir, script: filepath.Join(dir, "lt_rate.py")}
	var err error
	if r.up, err = makePayload(ctx, filepath.Join(dir, "up"), rateUpPayload); err != nil {
		return err
	}
	if r.down, err = makePayload(ctx, filepath.Join(dir, "down"), rateDownPayload); err != nil {
		return err
	}
	if err := os.WriteFile(r.script, ltRateScript, 0o644); err != nil {
		return err
	}
	if r.seeder, err = startSeeder(ctx, r.down); err != nil {
		return err
	}
	defer r.seeder.Stop()

	var up, down, share [2][]float64 // ours, libtorrent
	for _, m := range []struct {
		dst  *[2][]float64
		ours func(context.Context) ([]float64, error)
		lt   func(context.Context) ([]float64, error)
	}{
		{&up, func(ctx context.Context) ([]float64, error) { return r.oursSeeding(ctx, 1) }, func(ctx context.Context) ([]float64, error) { return r.ltSeeding(ctx, 1) }},
		{&down, r.oursDownloading, r.ltDownloading},
		{&share, func(ctx context.Context) ([]float64, error) { return r.oursSeeding(ctx, 2) }, func(ctx context.Context) ([]float64, error) { return r.ltSeeding(ctx, 2) }},
	} {
		for i, f := range []func(context.Context) ([]float64, error){m.ours, m.lt} {
			if !c.wants([]string{sideOurs, sideLibtorrent}[i]) {
				continue
			}
			rates, err := f(ctx)
			if err != nil {
				return err
			}
			m.dst[i] = rates
		}
	}
	mbps := func(rates []float64) float64 {
		if len(rates) == 0 {
			return math.NaN()
		}
		return rates[0] / 1e6
	}
	spread := func(rates []float64) float64 {
		if len(rates) == 0 {
			return math.NaN()
		}
		return shareSpread(rates) * 100
	}
	fmt.Fprintln(stdout, benchLine(lineRateLimit+"_up", "MB/s", 3, mbps(up[0]), mbps(up[1])))
	fmt.Fprintln(stdout, benchLine(lineRateLimit+"_down", "MB/s", 3, mbps(down[0]), mbps(down[1])))
	fmt.Fprintln(stdout, benchLine(lineRateLimit+"_share_spread", "%", 1, spread(share[0]), spread(share[1])))
	errPct := func(rates []float64) string {
		if len(rates) == 0 {
			return "n/a"
		}
		var sum float64
		for _, r := range rates {
			sum += r
		}
		return fmt.Sprintf("%+.1f%%", (sum/rateLimit-1)*100)
	}
	shares := func(rates []float64) string {
		var s []string
		for _, r := range rates {
			s = append(s, fmt.Sprintf("%.3f", r/1e6))
		}
		return strings.Join(s, "+")
	}
	fmt.Fprintf(stdout, "# %s: payload rate against the %.0f MB/s limit (%v windows; our down: a whole %d MiB transfer): up ours %s libtorrent %s, down ours %s libtorrent %s; shared by two leechers: ours %s MB/s (%s) libtorrent %s MB/s (%s)\n",
		lineRateLimit, rateLimit/1e6, rateWindow, rateDownPayload>>20, errPct(up[0]), errPct(up[1]), errPct(down[0]), errPct(down[1]),
		shares(share[0]), errPct(share[0]), shares(share[1]), errPct(share[1]))
	return nil
}

// shareSpread is how far the rates stray from their mean at most, as a
// fraction of it.
func shareSpread(rates []float64) float64 {
	var sum float64
	for _, r := range rates {
		sum += r
	}
	mean := sum / float64(len(rates))
	if mean <= 0 {
		return math.NaN()
	}
	var worst float64
	for _, r := range rates {
		worst = max(worst, math.Abs(r-mean)/mean)
	}
	return worst
}

// rateRig runs the measurements of one payload.
type rateRig struct {
	c        config
	demo     string
	up, down payload
	seeder   *interop.Libtorrent // the down payload's, unlimited
	dir      string
	script   string
	n        int // runs so far, to name save directories
}

func (r *rateRig) saveDir(name string) (string, error) {
	r.n++
	d := filepath.Join(r.dir, fmt.Sprintf("%s-%d", name, r.n))
	return d, os.MkdirAll(d, 0o755)
}

// oursSeeding: `demo seed -up-limit`, leechers libtorrent leechers.
func (r *rateRig) oursSeeding(ctx context.Context, leechers int) ([]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, r.c.timeout)
	defer cancel()
	seed, err := startChild(ctx, r.demo, "seed", "-listen", "127.0.0.1:0", "-resume-dir", "",
		"-up-limit", strconv.Itoa(rateLimit), r.up.torrent, r.up.dir)
	if err != nil {
		return nil, err
	}
	defer seed.stop()
	line, err := seed.waitLine(ctx, "listening on ")
	if err != nil {
		return nil, err
	}
	work, err := r.saveDir("ours-seeding")
	if err != nil {
		return nil, err
	}
	lt, err := r.startScript(ctx, work, "--connect", strings.TrimPrefix(line, "listening on "), "--leechers", strconv.Itoa(leechers))
	if err != nil {
		return nil, err
	}
	defer lt.stop()
	return lt.result(ctx)
}

// ltSeeding: a libtorrent seeder with upload_rate_limit, leechers
// libtorrent leechers.
func (r *rateRig) ltSeeding(ctx context.Context, leechers int) ([]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, r.c.timeout)
	defer cancel()
	work, err := r.saveDir("lt-seeding")
	if err != nil {
		return nil, err
	}
	lt, err := r.startScript(ctx, work, "--seed-dir", r.up.dir, "--seed-upload-limit", strconv.Itoa(rateLimit),
		"--leechers", strconv.Itoa(leechers))
	if err != nil {
		return nil, err
	}
	defer lt.stop()
	return lt.result(ctx)
}

// oursDownloading: `demo download -down-limit` of the down payload from
// the unlimited libtorrent seeder; the payload over the demo's own
// add-to-finished time.
func (r *rateRig) oursDownloading(ctx context.Context) ([]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, r.c.timeout)
	defer cancel()
	save, err := r.saveDir("ours-downloading")
	if err != nil {
		return nil, err
	}
	dl, err := startChild(ctx, r.demo, "download", "-listen", "127.0.0.1:0", "-resume-dir", "",
		"-down-limit", strconv.Itoa(rateLimit), "-peer", r.seeder.Addr(), "-o", save, r.down.torrent)
	if err != nil {
		return nil, err
	}
	defer dl.stop()
	line, err := dl.waitLine(ctx, "downloaded ")
	if err != nil {
		return nil, err
	}
	m := summaryRE.FindStringSubmatch(line)
	if m == nil {
		return nil, dl.failed("bad summary " + strconv.Quote(line))
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	secs, _ := strconv.ParseFloat(m[2], 64)
	if n != r.down.size || secs <= 0 {
		return nil, dl.failed(fmt.Sprintf("downloaded %d of %d bytes in %v s", n, r.down.size, secs))
	}
	return []float64{float64(n) / secs}, nil
}

// ltDownloading: a libtorrent leecher with download_rate_limit (its
// loopback peers in the global class) and an unlimited libtorrent seeder,
// both in lt_rate.py, measured at the leecher over the window. Over the
// whole transfer, as ours is measured, libtorrent's slow and variable
// start (its request queue grows over seconds) would count: 10% to 21%
// under the limit in two runs, against 1% to 5% in the window, which is
// the figure for its limit.
func (r *rateRig) ltDownloading(ctx context.Context) ([]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, r.c.timeout)
	defer cancel()
	work, err := r.saveDir("lt-downloading")
	if err != nil {
		return nil, err
	}
	lt, err := r.startScript(ctx, work, "--seed-dir", r.up.dir, "--leechers", "1",
		"--leech-download-limit", strconv.Itoa(rateLimit))
	if err != nil {
		return nil, err
	}
	defer lt.stop()
	return lt.result(ctx)
}

func (r *rateRig) startScript(ctx context.Context, work string, args ...string) (*child, error) {
	args = append([]string{"-u", r.script, "--torrent", r.up.torrent, "--work", work,
		"--lead", fmt.Sprint(rateLead.Seconds()), "--window", fmt.Sprint(rateWindow.Seconds()),
		"--timeout", fmt.Sprint(r.c.timeout.Seconds())}, args...)
	return startChild(ctx, interop.Python, args...)
}

// child is a process whose stdout the bench reads line by line as it
// comes; it runs in its own process group, killed by stop.
type child struct {
	cmd    *exec.Cmd
	lines  chan string // closed at EOF
	stderr interop.TailBuffer
	log    interop.TailBuffer // stdout lines read
	kind   error              // what its failures wrap; nil: ErrRateLimit
}

func startChild(ctx context.Context, bin string, args ...string) (*child, error) {
	c := &child{cmd: exec.CommandContext(ctx, bin, args...), lines: make(chan string, 64)}
	c.cmd.SysProcAttr = procAttr()
	c.cmd.Cancel = func() error { return killGroup(c.cmd.Process.Pid) }
	c.cmd.WaitDelay = 5 * time.Second
	c.cmd.Stderr = &c.stderr
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrRateLimit, bin, err)
	}
	go func() {
		defer close(c.lines)
		s := bufio.NewScanner(out)
		for s.Scan() {
			fmt.Fprintln(&c.log, s.Text())
			c.lines <- s.Text()
		}
	}()
	return c, nil
}

// waitLine returns the first line that starts with prefix.
func (c *child) waitLine(ctx context.Context, prefix string) (string, error) {
	for {
		select {
		case line, ok := <-c.lines:
			if !ok {
				return "", c.failed("exited before printing " + strconv.Quote(prefix))
			}
			if strings.HasPrefix(line, prefix) {
				return line, nil
			}
		case <-ctx.Done():
			return "", c.failed(fmt.Sprintf("no %q: %v", prefix, context.Cause(ctx)))
		}
	}
}

func (c *child) failed(why string) error {
	kind := c.kind
	if kind == nil {
		kind = ErrRateLimit
	}
	return fmt.Errorf("%w: %s %s: %s\n--- stdout ---\n%s\n--- stderr ---\n%s",
		kind, filepath.Base(c.cmd.Path), strings.Join(c.cmd.Args[1:], " "), why, c.log.String(), c.stderr.String())
}

// stop kills the process group and reaps it.
func (c *child) stop() {
	_ = killGroup(c.cmd.Process.Pid)
	_ = c.cmd.Wait()
}

// rateEvent is a line of lt_rate.py.
type rateEvent struct {
	Event   string    `json:"event"`
	Port    int       `json:"port"`
	Rates   []float64 `json:"rates"`
	Message string    `json:"message"`
}

// event waits for lt_rate.py's event called name (an error event fails).
func (c *child) event(ctx context.Context, name string) (rateEvent, error) {
	for {
		line, err := c.waitLine(ctx, "{")
		if err != nil {
			return rateEvent{}, err
		}
		var ev rateEvent
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			return ev, c.failed(fmt.Sprintf("bad line %q: %v", line, err))
		}
		switch ev.Event {
		case name:
			return ev, nil
		case "error":
			return ev, c.failed(ev.Message)
		}
	}
}

func (c *child) listening(ctx context.Context) (int, error) {
	ev, err := c.event(ctx, "listening")
	return ev.Port, err
}

func (c *child) result(ctx context.Context) ([]float64, error) {
	ev, err := c.event(ctx, "result")
	if err == nil && len(ev.Rates) == 0 {
		err = c.failed("no rates")
	}
	return ev.Rates, err
}
