package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// listenRe matches seed's address line.
var listenRe = regexp.MustCompile(`^listening on (127\.0\.0\.1:[0-9]+)$`)

// startSeed runs "demo seed" on the fixture and returns the process and
// its address.
func startSeed(t *testing.T, torrent, savePath string) (*proc, string) {
	t.Helper()
	seed := startDemo(t, "seed", "-listen", "127.0.0.1:0", torrent, savePath)
	line := seed.waitLine("listening on ", 30*time.Second)
	m := listenRe.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("seed printed %q", line)
	}
	return seed, m[1]
}

// checkDownloaded checks download's summary line and the bytes.
func checkDownloaded(t *testing.T, r result, total int64, src, dst string) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("download: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	want := regexp.MustCompile(fmt.Sprintf(`(?m)^downloaded %d bytes in [0-9.]+ s \([0-9.]+ MiB/s\)$`, total))
	if !want.MatchString(r.stdout) {
		t.Errorf("summary: %q", r.stdout)
	}
	if err := interop.CompareTrees(src, dst); err != nil {
		t.Fatal(err)
	}
}

func TestSeedThenDownloadBetweenProcesses(t *testing.T) {
	f := newFixture(t)
	seed, addr := startSeed(t, f.torrent, f.src)
	dst := filepath.Join(f.root, "dst", "nested") // created by download
	prof := filepath.Join(f.root, "prof")
	if err := os.Mkdir(prof, 0o755); err != nil {
		t.Fatal(err)
	}
	r := runDemo(t, 60*time.Second, nil, "download", "-peer", addr, "-timeout", "50s",
		"-cpuprofile", filepath.Join(prof, "cpu"), "-memprofile", filepath.Join(prof, "mem"), "-o", dst, f.torrent)
	checkDownloaded(t, r, f.total, f.src, dst)
	// stderr is a pipe here: progress comes as plain lines, not a bar.
	if !strings.Contains(r.stderr, "pl: ") || strings.Contains(r.stderr, "\x1b[") {
		t.Errorf("progress on stderr: %q", r.stderr)
	}
	for _, p := range []string{"cpu", "mem"} {
		if fi, err := os.Stat(filepath.Join(prof, p)); err != nil || fi.Size() == 0 {
			t.Errorf("%s profile: %v", p, err)
		}
	}
	// A second run finds everything on disk and downloads nothing.
	r = runDemo(t, 60*time.Second, nil, "download", "-timeout", "50s", "-o", dst, f.torrent)
	checkDownloaded(t, r, 0, f.src, dst)
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Errorf("seed exit code %d after SIGINT\nstderr: %s", code, seed.stderr.String())
	}
}

func TestDownloadInterrupted(t *testing.T) {
	f := newFixture(t)
	dst := filepath.Join(f.root, "dst")
	// Nobody listens on port 1: the download waits until interrupted.
	p := startDemo(t, "download", "-peer", "127.0.0.1:1", "-o", dst, f.torrent)
	// The save path appears after the signal handler is installed.
	// Nothing tells when, so poll; the deadline only ends a hung test.
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := os.Stat(dst); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("download never created %s\nstderr: %s", dst, p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code := p.stop(15 * time.Second); code != exitFailure {
		t.Fatalf("exit code %d after SIGINT, want %d\nstderr: %s", code, exitFailure, p.stderr.String())
	}
	oneLineFailure(t, result{stderr: p.stderr.String(), code: exitFailure}, exitFailure, "interrupted")
}

func TestDownloadFileError(t *testing.T) {
	f := newFixture(t)
	_, addr := startSeed(t, f.torrent, f.src)
	dst := filepath.Join(f.root, "dst")
	// A directory where a file must go: every write to it fails.
	if err := os.MkdirAll(filepath.Join(dst, "pl", "big.bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := runDemo(t, 60*time.Second, nil, "download", "-peer", addr, "-timeout", "50s", "-o", dst, f.torrent)
	oneLineFailure(t, r, exitFailure, "big.bin")
}

func TestSwarmWithoutArguments(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 128 MiB through three sessions; skipped with -short")
	}
	tmp := t.TempDir()
	start := time.Now()
	r := runDemo(t, 90*time.Second, []string{"TMPDIR=" + tmp})
	if r.code != 0 {
		t.Fatalf("demo: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	t.Logf("demo took %v", time.Since(start))
	if !strings.Contains(r.stdout, "verified 2 copies byte for byte") {
		t.Errorf("summary: %q", r.stdout)
	}
	for i := 1; i <= 2; i++ {
		if !regexp.MustCompile(fmt.Sprintf(`(?m)^downloader %d: 64\.0 MiB in [0-9.]+ s`, i)).MatchString(r.stdout) {
			t.Errorf("no line for downloader %d: %q", i, r.stdout)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("demo left %v in its temp dir", entries)
	}
}

var seedingOnRe = regexp.MustCompile(`(?m)^download done; seeding on (127\.0\.0\.1:[0-9]+) until interrupted$`)

// download -seed stays after its download and seeds: with the first seed
// gone, a second downloader gets everything from it.
func TestDownloadSeedStaysAndSeeds(t *testing.T) {
	f := newFixture(t)
	seed, addr := startSeed(t, f.torrent, f.src)
	dst := filepath.Join(f.root, "dst")
	dl := startDemo(t, "download", "-peer", addr, "-seed", "-timeout", "100s", "-o", dst, f.torrent)
	dlAddr := waitStderr(t, dl, seedingOnRe, 60*time.Second)[1]
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Fatalf("seed exit code %d", code)
	}
	r := runDemo(t, 60*time.Second, nil, "download", "-peer", dlAddr, "-timeout", "50s", "-o", filepath.Join(f.root, "dst2"), f.torrent)
	checkDownloaded(t, r, f.total, f.src, filepath.Join(f.root, "dst2"))
	if code := dl.stop(15 * time.Second); code != 0 {
		t.Errorf("download -seed exit code %d after SIGINT\nstderr: %s", code, dl.stderr.String())
	}
}
