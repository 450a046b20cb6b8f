package interop

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Aria2Options configure one aria2c run.
type Aria2Options struct {
	// Torrent is the .torrent path (required).
	Torrent string
	// Dir is the data directory (required): a multi-file torrent's files
	// are under Dir/<name>/, a single file is Dir/<name>.
	Dir string
	// Seed: Dir already holds the data; aria2c checks it and seeds until
	// Stop. Otherwise aria2c downloads into Dir and exits once done.
	Seed bool
	// Trackers are announce URLs added to the torrent's (--bt-tracker).
	Trackers []string
	// Timeout bounds the run: aria2c stops itself after it (--stop).
	// Zero means two minutes.
	Timeout time.Duration
}

// Aria2 is one running aria2c.
type Aria2 struct {
	p       *clientProc
	port    int
	logFile string // aria2c's own log (info level), for Log

	mu      sync.Mutex
	logTail string // the log's tail, kept by Stop before the file goes
}

// Aria2Available reports nil when aria2c is installed; the probe runs once.
func Aria2Available() error {
	aria2Once.Do(func() {
		if _, err := exec.LookPath("aria2c"); err != nil {
			aria2Err = fmt.Errorf("%w: aria2c not found (apt-get install -y aria2)", ErrUnavailable)
		}
	})
	return aria2Err
}

var (
	aria2Once sync.Once
	aria2Err  error
)

// aria2Listening is aria2c's notice once it accepts peers; it comes after
// the check of a seeder's files.
var aria2Listening = regexp.MustCompile(`IPv4 BitTorrent: listening on TCP port (\d+)`)

// aria2PortSpan is how many ports aria2c may try from a free one: it binds
// the first one free in the range, so a port taken between FreePort and
// its bind costs nothing.
const aria2PortSpan = 16

// StartAria2 starts aria2c for o on 127.0.0.1 only (no DHT, LSD, PEX, IPv6
// or port mapping; aria2c has no UPnP) and returns once it listens — for a
// seeder, once its files are checked. ctx bounds the start only.
func StartAria2(ctx context.Context, o Aria2Options) (*Aria2, error) {
	if err := Aria2Available(); err != nil {
		return nil, err
	}
	if o.Torrent == "" || o.Dir == "" || o.Timeout < 0 {
		return nil, fmt.Errorf("%w: aria2c needs Torrent, Dir and a non-negative Timeout", ErrBadOptions)
	}
	args, logFile, dir, err := aria2Args(o)
	if err != nil {
		return nil, err
	}
	p, err := startClient("aria2c", dir, "aria2c", args...)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	a := &Aria2{p: p, logFile: logFile}
	p.stopped = func() {
		tail := a.readLogTail()
		a.mu.Lock()
		a.logTail = tail
		a.mu.Unlock()
	}
	line, _, err := p.waitLine(ctx, 0, "listening", aria2Listening.MatchString)
	if err != nil {
		_ = a.Stop()
		return nil, fmt.Errorf("%w: %w", ErrStart, err)
	}
	a.port, _ = strconv.Atoi(aria2Listening.FindStringSubmatch(line)[1])
	return a, nil
}

// aria2Args is aria2c's command line for o, in a new run directory.
func aria2Args(o Aria2Options) (args []string, logFile, dir string, err error) {
	torrent, err := filepath.Abs(o.Torrent)
	if err == nil {
		o.Dir, err = filepath.Abs(o.Dir)
	}
	if err != nil {
		return nil, "", "", fmt.Errorf("%w: %v", ErrBadOptions, err)
	}
	port, err := FreePort("tcp")
	if err != nil {
		return nil, "", "", err
	}
	dir, err = os.MkdirTemp("", "actorrent-aria2-")
	if err != nil {
		return nil, "", "", fmt.Errorf("%w: %v", ErrStart, err)
	}
	timeout := o.Timeout
	if timeout == 0 {
		timeout = clientTimeout
	}
	logFile = filepath.Join(dir, "aria2.log")
	args = []string{
		"--no-conf=true", "--dir=" + o.Dir,
		"--listen-port=" + strconv.Itoa(port) + "-" + strconv.Itoa(port+aria2PortSpan-1),
		// Loopback only, nobody else to find.
		"--interface=127.0.0.1", "--disable-ipv6=true",
		"--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
		"--bt-save-metadata=false", "--auto-save-interval=0", "--file-allocation=none",
		"--allow-overwrite=true", "--auto-file-renaming=false",
		"--stop=" + strconv.Itoa(int((timeout+time.Second-1)/time.Second)),
		"--show-console-readout=false", "--summary-interval=0", "--console-log-level=notice",
		"--log=" + logFile, "--log-level=info",
	}
	if o.Seed {
		// Check the files, then seed with no ratio or time limit.
		args = append(args, "--check-integrity=true", "--seed-ratio=0.0")
	} else {
		args = append(args, "--seed-time=0")
	}
	if len(o.Trackers) > 0 {
		args = append(args, "--bt-tracker="+strings.Join(o.Trackers, ","))
	}
	return append(args, torrent), logFile, dir, nil
}

// Port is the TCP port aria2c accepts peers on.
func (a *Aria2) Port() int { return a.port }

// Addr is "127.0.0.1:PORT".
func (a *Aria2) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(a.port)) }

// WaitDownloaded waits until a downloader has its files (it says "Download
// complete" once every piece is checked and written) and has exited 0,
// its files closed.
func (a *Aria2) WaitDownloaded(ctx context.Context) error {
	if _, _, err := a.p.waitLine(ctx, 0, "download complete", func(l string) bool {
		return strings.Contains(l, "Download complete:")
	}); err != nil {
		return err
	}
	return a.p.waitExit(ctx)
}

// Exited is closed once the process has exited.
func (a *Aria2) Exited() <-chan struct{} { return a.p.done }

// Log is aria2c's console output and the tail of its own log, for test
// failure messages.
func (a *Aria2) Log() string {
	tail := a.readLogTail()
	if tail == "" {
		a.mu.Lock()
		tail = a.logTail
		a.mu.Unlock()
	}
	return a.p.log() + "\n--- aria2.log (tail) ---\n" + tail
}

// readLogTail is the end of aria2c's log file ("" once Stop removed it).
func (a *Aria2) readLogTail() string {
	b, err := os.ReadFile(a.logFile)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 60 {
		lines = lines[len(lines)-60:]
	}
	return strings.Join(lines, "\n")
}

// Stop ends aria2c (SIGTERM, then SIGKILL) and removes its run directory;
// see clientProc.stop.
func (a *Aria2) Stop() error { return a.p.stop() }
