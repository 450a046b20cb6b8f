package interop

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// stopGrace is how long Stop waits after closing stdin before SIGTERM, and
// again before SIGKILL.
const stopGrace = 10 * time.Second

// Options configure one lt_peer.py process.
type Options struct {
	// Torrent is the .torrent path; exactly one of Torrent and Magnet.
	Torrent string
	// Magnet is a magnet URI (metadata then comes from peers).
	Magnet string
	// Save is the save directory (required).
	Save string
	// Peers are host:port addresses to connect to. With none, the peer
	// relies on trackers only (and re-announces while it has no peers).
	Peers []string
	// Trackers are announce URLs added to the torrent's own (an addition
	// to the contract: handy with magnets and whitelisting trackers).
	Trackers []string
	// UploadLimit and DownloadLimit are session rate limits in bytes/s;
	// 0 means unlimited. They also apply to loopback peers.
	UploadLimit, DownloadLimit int
	// SeedMode adds the torrent in libtorrent's seed_mode (no file check).
	SeedMode bool
	// KeepSeeding keeps a downloader running after it finished.
	KeepSeeding bool
	// UTP enables uTP in and out (default: TCP only); UTPOnly enables it
	// and turns TCP off both ways (enable_*_tcp false).
	UTP, UTPOnly bool
	// Timeout bounds a download (default 120 s in the script).
	Timeout time.Duration
	// Stderr receives the script's stderr as well as Log; nil means Log only.
	Stderr io.Writer
	// ResumeIn adds the torrent with this fast-resume file.
	ResumeIn string
	// ResumeOut: once seeding, a seeder saves fast-resume data (with the
	// info dict) to this file and reports a "resume_saved" event.
	ResumeOut string
	// WatchPeer: the port of a peer whose pieces, as they look from here,
	// are reported in "peer_pieces" events (Pieces: it shows; Have: ours)
	// whenever they change; 0: none.
	WatchPeer int
	// LSD turns on local service discovery (enable_lsd, the torrent not
	// kept off it), announcing every 2 s; lsd_peer alerts are reported.
	// BEP 14's group is host-wide: run it in a network namespace of the
	// test's own.
	LSD bool
	// DHTBootstrap turns libtorrent's DHT on, bootstrapping from these
	// host:port nodes, and puts the torrent on it (a seeder announces, a
	// downloader looks up peers). Listen should then be an address of its
	// own (127.0.N.1): libtorrent keeps one DHT node per /24 in its
	// routing table and lookups (dht_restrict_routing_ips and _search_ips).
	DHTBootstrap []string
	// Listen is the IP to listen on (default 127.0.0.1), port 0.
	Listen string
}

// Libtorrent is one running lt_peer.py process.
type Libtorrent struct {
	cmd    *exec.Cmd
	pid    int
	dir    string // temp dir holding the script
	stdin  io.WriteCloser
	stderr *TailBuffer
	host   string // the IP it listens on
	port   int

	mu      sync.Mutex
	lines   []string       // every stdout line, in order
	events  []Event        // every parsed event, in order
	cursor  map[string]int // per event name: index to search from next
	changed chan struct{}  // closed and replaced whenever events grows
	waitErr error          // cmd.Wait result, valid once done is closed

	done     chan struct{} // closed once the process exited and stdout drained
	stopOnce sync.Once
	stopErr  error
	// signalled: Stop had to signal the process, which did not end at
	// stdin's EOF within stopGrace.
	signalled bool
}

// StartSeeder starts lt_peer.py in seed mode and returns once it listens.
// ctx bounds the start only; the process runs until Stop.
func StartSeeder(ctx context.Context, o Options) (*Libtorrent, error) {
	if o.Torrent == "" {
		return nil, fmt.Errorf("%w: a seeder needs Torrent", ErrBadOptions)
	}
	return start(ctx, "seed", o)
}

// StartDownloader starts lt_peer.py in download mode and returns once it
// listens. ctx bounds the start only; the process runs until it finishes
// (or times out) or Stop.
func StartDownloader(ctx context.Context, o Options) (*Libtorrent, error) {
	return start(ctx, "download", o)
}

// scriptArgs turns Options into lt_peer.py's command line.
func scriptArgs(mode string, o Options) ([]string, error) {
	if (o.Torrent == "") == (o.Magnet == "") {
		return nil, fmt.Errorf("%w: need exactly one of Torrent and Magnet", ErrBadOptions)
	}
	if o.Save == "" {
		return nil, fmt.Errorf("%w: Save is required", ErrBadOptions)
	}
	if o.UploadLimit < 0 || o.DownloadLimit < 0 || o.Timeout < 0 {
		return nil, fmt.Errorf("%w: negative limit or timeout", ErrBadOptions)
	}
	listen := "127.0.0.1"
	if o.Listen != "" {
		if net.ParseIP(o.Listen) == nil {
			return nil, fmt.Errorf("%w: listen %q is not an IP", ErrBadOptions, o.Listen)
		}
		listen = o.Listen
	}
	args := []string{mode, "--save", o.Save, "--listen", net.JoinHostPort(listen, "0")}
	if o.Torrent != "" {
		args = append(args, "--torrent", o.Torrent)
	} else {
		args = append(args, "--magnet", o.Magnet)
	}
	for _, p := range o.Peers {
		if _, _, err := net.SplitHostPort(p); err != nil {
			return nil, fmt.Errorf("%w: peer %q: %v", ErrBadOptions, p, err)
		}
		args = append(args, "--peer", p)
	}
	if len(o.Peers) == 0 {
		args = append(args, "--tracker-only")
	}
	for _, n := range o.DHTBootstrap {
		if _, _, err := net.SplitHostPort(n); err != nil {
			return nil, fmt.Errorf("%w: DHT node %q: %v", ErrBadOptions, n, err)
		}
		args = append(args, "--dht-bootstrap", n)
	}
	for _, t := range o.Trackers {
		args = append(args, "--tracker", t)
	}
	if o.UploadLimit > 0 {
		args = append(args, "--upload-limit", strconv.Itoa(o.UploadLimit))
	}
	if o.DownloadLimit > 0 {
		args = append(args, "--download-limit", strconv.Itoa(o.DownloadLimit))
	}
	if o.SeedMode {
		args = append(args, "--seed-mode")
	}
	if o.KeepSeeding {
		args = append(args, "--keep-seeding")
	}
	if o.ResumeIn != "" {
		args = append(args, "--resume-in", o.ResumeIn)
	}
	if o.ResumeOut != "" {
		args = append(args, "--resume-out", o.ResumeOut)
	}
	if o.WatchPeer > 0 {
		args = append(args, "--watch-peer", strconv.Itoa(o.WatchPeer))
	}
	if o.LSD {
		args = append(args, "--lsd")
	}
	switch {
	case o.UTPOnly:
		args = append(args, "--utp-only")
	case o.UTP:
		args = append(args, "--utp")
	default:
		args = append(args, "--no-utp")
	}
	if o.Timeout > 0 {
		args = append(args, "--timeout", strconv.FormatFloat(o.Timeout.Seconds(), 'f', 3, 64))
	}
	return args, nil
}

// writeScript writes lt_peer.py into a new temp dir and returns both.
func writeScript() (dir, script string, err error) {
	dir, err = os.MkdirTemp("", "actorrent-interop-")
	if err != nil {
		return "", "", fmt.Errorf("%w: %v", ErrStart, err)
	}
	script = filepath.Join(dir, "lt_peer.py")
	if err := os.WriteFile(script, ltPeerScript, 0o644); err != nil {
		_ = os.RemoveAll(dir)
		return "", "", fmt.Errorf("%w: %v", ErrStart, err)
	}
	return dir, script, nil
}

func start(ctx context.Context, mode string, o Options) (*Libtorrent, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	args, err := scriptArgs(mode, o)
	if err != nil {
		return nil, err
	}
	return launch(ctx, mode, args, o.Listen, o.Stderr)
}

// launch runs lt_peer.py with args and returns once it listens on listen
// (an IP; empty: 127.0.0.1).
func launch(ctx context.Context, mode string, args []string, listen string, stderr io.Writer) (*Libtorrent, error) {
	dir, script, err := writeScript()
	if err != nil {
		return nil, err
	}
	host := "127.0.0.1"
	if listen != "" {
		host = listen
	}
	l := &Libtorrent{
		host:    host,
		dir:     dir,
		stderr:  &TailBuffer{},
		cursor:  map[string]int{},
		changed: make(chan struct{}),
		done:    make(chan struct{}),
	}
	l.cmd = exec.Command(Python, append([]string{"-u", script}, args...)...)
	l.cmd.SysProcAttr = procAttr()
	l.cmd.Stderr = l.stderr
	if stderr != nil {
		l.cmd.Stderr = io.MultiWriter(l.stderr, stderr)
	}
	if l.stdin, err = l.cmd.StdinPipe(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	stdout, err := l.cmd.StdoutPipe()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	if err := l.cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("%w: %s: %v", ErrStart, Python, err)
	}
	l.pid = l.cmd.Process.Pid
	go l.readLoop(stdout)

	ev, err := l.WaitEvent(ctx, "listening")
	if err != nil {
		_ = l.Stop()
		return nil, fmt.Errorf("%w: %s: %w", ErrStart, mode, err)
	}
	if ev.Port <= 0 || ev.Port > 65535 {
		_ = l.Stop()
		return nil, fmt.Errorf("%w: %s: bad listen port %d", ErrStart, mode, ev.Port)
	}
	l.port = ev.Port
	return l, nil
}

// readLoop records stdout lines until EOF, then reaps the process. It is
// the only goroutine per process besides exec's stderr copier, and both end
// when the process does.
func (l *Libtorrent) readLoop(stdout io.Reader) {
	r := bufio.NewReader(stdout)
	for {
		line, err := r.ReadBytes('\n')
		if trimmed := strings.TrimRight(string(line), "\r\n"); trimmed != "" {
			l.record(trimmed)
		}
		if err != nil {
			break
		}
	}
	werr := l.cmd.Wait()
	l.mu.Lock()
	l.waitErr = werr
	l.mu.Unlock()
	close(l.done)
}

// record appends one stdout line and wakes up waiters.
func (l *Libtorrent) record(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
	ev, err := parseEvent([]byte(line))
	if err != nil {
		return // kept in lines for Log, but not an event
	}
	l.events = append(l.events, ev)
	close(l.changed)
	l.changed = make(chan struct{})
}

// Addr is the address the process listens on, "127.0.0.1:PORT".
func (l *Libtorrent) Addr() string {
	return net.JoinHostPort(l.host, strconv.Itoa(l.port))
}

// Port is the port the process listens on.
func (l *Libtorrent) Port() int { return l.port }

// WaitEvent returns the next event called name: the first one not returned
// by an earlier WaitEvent for the same name, even if it arrived before this
// call. Events of other names stay available to their own waits and in Log.
// It fails when ctx ends or the process exits without such an event.
func (l *Libtorrent) WaitEvent(ctx context.Context, name string) (Event, error) {
	for {
		l.mu.Lock()
		for i := l.cursor[name]; i < len(l.events); i++ {
			if l.events[i].Event == name {
				l.cursor[name] = i + 1
				ev := l.events[i]
				l.mu.Unlock()
				return ev, nil
			}
		}
		l.cursor[name] = len(l.events)
		changed := l.changed
		exited := isClosed(l.done)
		l.mu.Unlock()
		if exited {
			return Event{}, l.exitError(name)
		}
		select {
		case <-ctx.Done():
			return Event{}, fmt.Errorf("interop: waiting for %q: %w\n%s", name, context.Cause(ctx), l.tail(20))
		case <-changed:
		case <-l.done:
		}
	}
}

// exitError explains why the process ended before the awaited event.
func (l *Libtorrent) exitError(name string) error {
	l.mu.Lock()
	werr := l.waitErr
	msg := ""
	for _, ev := range l.events {
		if ev.Event == "error" {
			msg = ev.Message
		}
	}
	l.mu.Unlock()
	status := "exit status 0"
	if werr != nil {
		status = werr.Error()
	}
	if msg != "" {
		status += ": " + msg
	}
	return fmt.Errorf("%w before %q (%s)\n%s", ErrExited, name, status, l.tail(20))
}

// WaitSeeding waits until the torrent is seeding.
func (l *Libtorrent) WaitSeeding(ctx context.Context) error {
	_, err := l.WaitEvent(ctx, "seeding")
	return err
}

// WaitFinished waits for a downloader's finished event. The process exits
// 0 right after it unless Options.KeepSeeding was set.
func (l *Libtorrent) WaitFinished(ctx context.Context) (Event, error) {
	return l.WaitEvent(ctx, "finished")
}

// Exited is closed once the process has exited.
func (l *Libtorrent) Exited() <-chan struct{} { return l.done }

// Events returns a copy of every event seen so far.
func (l *Libtorrent) Events() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.events...)
}

// Log returns every stdout line seen so far, then the captured stderr, for
// test failure messages.
func (l *Libtorrent) Log() string {
	l.mu.Lock()
	out := strings.Join(l.lines, "\n")
	l.mu.Unlock()
	if se := l.stderr.String(); se != "" {
		out += "\n--- stderr ---\n" + se
	}
	return out
}

// tail is the last n lines of Log, for error messages.
func (l *Libtorrent) tail(n int) string {
	lines := strings.Split(l.Log(), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// Stop ends the process: it closes stdin (the script exits 0 on EOF), sends
// SIGTERM to the process group after 3 s and SIGKILL after 6 s, waits for
// the exit and removes the script's temp dir. It is idempotent. It returns
// an error only when the process had already failed on its own (non-zero
// exit before Stop); being stopped by Stop is not a failure.
func (l *Libtorrent) Stop() error {
	l.stopOnce.Do(func() {
		exitedBefore := isClosed(l.done)
		_ = l.stdin.Close()
		l.signalled = terminate(l.pid, l.done, stopGrace)
		_ = os.RemoveAll(l.dir)
		l.mu.Lock()
		werr := l.waitErr
		l.mu.Unlock()
		if exitedBefore && werr != nil && !exitedBySignal(werr) {
			l.stopErr = fmt.Errorf("%w: %v", ErrExited, werr)
		}
	})
	return l.stopErr
}
