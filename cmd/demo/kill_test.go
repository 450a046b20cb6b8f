package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// killRuns is how many times TestKill9 kills a download (make bench runs
// the same test with more, through DEMO_KILL_RUNS).
func killRuns(t *testing.T) int {
	if s := os.Getenv("DEMO_KILL_RUNS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("DEMO_KILL_RUNS=%q is not a positive count", s)
		}
		return n
	}
	return 10
}

var (
	hadLine      = regexp.MustCompile(`^had (\d+)/(\d+) ([0-9a-f]*)$`)
	verifiedLine = regexp.MustCompile(`^piece (\d+) verified$`)
)

// killRun is one `demo download -v` that the test may SIGKILL.
type killRun struct {
	cmd *exec.Cmd
	had chan []bool // the pieces had after checking, once
	// moving is closed at the first piece verified in this run.
	moving chan struct{}
	done   chan struct{}
	// reported are the pieces the run said it had or verified; read after
	// done.
	reported map[int]bool
	log      []string
}

func startKillRun(t *testing.T, args ...string) *killRun {
	t.Helper()
	r := &killRun{cmd: exec.Command(demoBin, args...), had: make(chan []bool, 1), moving: make(chan struct{}),
		done: make(chan struct{}), reported: map[int]bool{}}
	errPipe, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	r.cmd.Stdout = io.Discard
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(r.done)
		sc := bufio.NewScanner(errPipe)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			r.log = append(r.log, line)
			if m := hadLine.FindStringSubmatch(line); m != nil {
				n, _ := strconv.Atoi(m[2])
				bits, _ := hex.DecodeString(m[3])
				had := make([]bool, n)
				for p := range n {
					if p/8 < len(bits) && bits[p/8]&(0x80>>(p%8)) != 0 {
						had[p] = true
						r.reported[p] = true
					}
				}
				r.had <- had
			} else if m := verifiedLine.FindStringSubmatch(line); m != nil {
				p, _ := strconv.Atoi(m[1])
				if !isClosed(r.moving) {
					close(r.moving)
				}
				r.reported[p] = true
			}
		}
		_ = r.cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = r.cmd.Process.Kill()
		<-r.done
	})
	return r
}

// TestKill9 kills `demo download` with SIGKILL at random moments and
// restarts it, over and over: no piece it reported verified before a kill
// may be missing after the restart, the download must not start over, and
// the bytes must end identical. The seed is libtorrent, rate-limited so
// that the kills land mid-transfer.
func TestKill9(t *testing.T) {
	needLibtorrent(t)
	runs := killRuns(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(30+runs*3)*time.Second)
	defer cancel()
	root := t.TempDir()
	src := filepath.Join(root, "src")
	files := map[string]int64{"k/a.bin": 10<<20 + 333, "k/b.bin": 14 << 20, "k/c.txt": 1000}
	var total int64
	for _, n := range files {
		total += n
	}
	if err := interop.MakePayload(src, files, 99); err != nil {
		t.Fatal(err)
	}
	torrent := filepath.Join(root, "k.torrent")
	if r := runDemo(t, 30*time.Second, nil, "create", "-piece-size", "65536", "-o", torrent, filepath.Join(src, "k")); r.code != 0 {
		t.Fatalf("create: %s", r.stderr)
	}
	// Slow enough that every run is killed mid-transfer (a run lives
	// up to 0.25 s after its first piece), fast enough to be quick.
	rate := max(128<<10, int(total)*2/(runs+2))
	lt, err := interop.StartSeeder(ctx, interop.Options{Torrent: torrent, Save: src, UploadLimit: rate})
	if err != nil {
		t.Fatal(err)
	}
	defer lt.Stop()
	if err := lt.WaitSeeding(ctx); err != nil {
		t.Fatal(err)
	}
	dst, resumeDir := filepath.Join(root, "dst"), filepath.Join(root, "resume")
	// TCP: the seed speaks TCP only, and a uTP attempt first would cost
	// each run the SYN's timeouts.
	args := []string{"download", "-transport", "tcp", "-v", "-resume-dir", resumeDir, "-resume-interval", "100ms",
		"-peer", lt.Addr(), "-timeout", "60s", "-o", dst, torrent}

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	before := map[int]bool{} // every piece reported so far
	kills := 0
	for kills < runs {
		r := startKillRun(t, args...)
		var had []bool
		select {
		case had = <-r.had:
		case <-r.done:
			t.Fatalf("run %d exited before checking:\n%v", kills+1, r.log)
		case <-ctx.Done():
			t.Fatalf("run %d never finished checking", kills+1)
		}
		for p := range before {
			if !had[p] {
				t.Fatalf("after kill %d: piece %d was reported verified before, and is missing now", kills, p)
			}
		}
		// Kill mid-transfer: a random moment after the first piece.
		select {
		case <-r.moving:
		case <-r.done:
			t.Fatalf("run %d ended before downloading:\n%v", kills+1, r.log)
		case <-ctx.Done():
			t.Fatalf("run %d downloaded nothing", kills+1)
		}
		delay := time.Duration(rng.Intn(250)) * time.Millisecond
		select {
		case <-r.done:
			t.Fatalf("run %d ended before its kill at %v (exit %d):\n%v", kills+1, delay, r.cmd.ProcessState.ExitCode(), r.log)
		case <-time.After(delay):
		}
		_ = r.cmd.Process.Kill()
		<-r.done
		kills++
		for p := range r.reported {
			before[p] = true
		}
	}

	r := startKillRun(t, args...)
	select {
	case <-r.done:
	case <-ctx.Done():
		t.Fatal("the last run did not finish")
	}
	if code := r.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("last run: exit %d\n%v", code, r.log)
	}
	if err := interop.CompareTrees(src, dst); err != nil {
		t.Fatal(err)
	}
	// The seed's count of payload sent tells whether we started over; it
	// reports twice a second, so wait for two reports after the end.
	sent := seedSent(ctx, t, lt, 2)
	t.Logf("%d kills: the seed sent %.1f MiB for a %.1f MiB payload", kills, sent/(1<<20), float64(total)/(1<<20))
	if limit := 1.5 * float64(total); sent > limit {
		t.Errorf("the seed sent %.0f bytes for %d: the download started over (limit %.0f)", sent, total, limit)
	}
}

// seedSent is the payload the seeder reports sent, after n more of its
// progress reports.
func seedSent(ctx context.Context, t *testing.T, lt *interop.Libtorrent, n int) float64 {
	t.Helper()
	count := func() (int, float64) {
		c, sent := 0, 0.0
		for _, e := range lt.Events() {
			if e.Event == "progress" {
				c++
				sent, _ = e.Raw["total_payload_upload"].(float64)
			}
		}
		return c, sent
	}
	start, _ := count()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if c, sent := count(); c >= start+n {
			return sent
		}
		select {
		case <-ctx.Done():
			t.Fatal("no progress report from the seeder")
		case <-tick.C:
		}
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
