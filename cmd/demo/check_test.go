package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// checkLineRE is demo check's summary line.
var checkLineRE = regexp.MustCompile(`(?m)^(\d+)/(\d+) pieces ok, [0-9.]+ GiB in [0-9.]+ s \(([0-9.]+) GiB/s\)$`)

// checkLine runs demo check and returns its exit and the N and M of
// "N/M pieces ok".
func checkLine(t *testing.T, args ...string) (r result, ok, total int) {
	t.Helper()
	r = runDemo(t, 60*time.Second, nil, append([]string{"check"}, args...)...)
	m := checkLineRE.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no summary line (exit %d)\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	ok, _ = strconv.Atoi(m[1])
	total, _ = strconv.Atoi(m[2])
	return r, ok, total
}

func (f fixture) pieces() int { return int((f.total + testPieceSize - 1) / testPieceSize) }

func TestCheckAllPiecesOK(t *testing.T) {
	f := newFixture(t)
	for _, threads := range []string{"0", "1", "3"} {
		r, ok, total := checkLine(t, "-hashing-threads", threads, f.torrent, f.src)
		if r.code != exitOK || r.stderr != "" {
			t.Fatalf("-hashing-threads %s: exit %d, stderr %q", threads, r.code, r.stderr)
		}
		if ok != f.pieces() || total != f.pieces() {
			t.Fatalf("-hashing-threads %s: %d/%d pieces ok, want %d/%d", threads, ok, total, f.pieces(), f.pieces())
		}
	}
}

func TestCheckCorruptPiecesExit3(t *testing.T) {
	f := newFixture(t)
	big := filepath.Join(f.src, "pl", "big.bin")
	b, err := os.ReadFile(big)
	must(t, err)
	b[5] ^= 1               // a piece of big.bin
	b[3*testPieceSize] ^= 1 // another one
	must(t, os.WriteFile(big, b, 0o644))
	r, ok, total := checkLine(t, f.torrent, f.src)
	oneLineFailure(t, r, exitPiecesFailed, "2 of", fmt.Sprint(f.pieces()))
	if ok != f.pieces()-2 || total != f.pieces() {
		t.Fatalf("%d/%d pieces ok, want %d/%d", ok, total, f.pieces()-2, f.pieces())
	}
}

// With the files missing every piece fails, nothing is an error, and the
// check writes nothing into the save path.
func TestCheckMissingFilesExit3WritesNothing(t *testing.T) {
	f := newFixture(t)
	empty := t.TempDir()
	r, ok, total := checkLine(t, f.torrent, empty)
	oneLineFailure(t, r, exitPiecesFailed)
	if ok != 0 || total != f.pieces() {
		t.Fatalf("%d/%d pieces ok, want 0/%d", ok, total, f.pieces())
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("check wrote into the save path: %v", entries)
	}
	// Half there: big.bin short, the rest missing.
	must(t, os.MkdirAll(filepath.Join(empty, "pl"), 0o755))
	src, err := os.ReadFile(filepath.Join(f.src, "pl", "big.bin"))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(empty, "pl", "big.bin"), src[:1<<20], 0o644))
	r, ok, _ = checkLine(t, f.torrent, empty)
	oneLineFailure(t, r, exitPiecesFailed)
	if want := (1 << 20) / testPieceSize; ok != want {
		t.Fatalf("%d pieces ok with the first MiB of big.bin there, want %d", ok, want)
	}
	if entries, _ := os.ReadDir(filepath.Join(empty, "pl")); len(entries) != 1 {
		t.Errorf("check wrote into the save path: %v", entries)
	}
}

func TestCheckBadTorrentExit1(t *testing.T) {
	dir := t.TempDir()
	for name, path := range badTorrents(t, dir) {
		t.Run(name, func(t *testing.T) {
			r := runDemo(t, 20*time.Second, nil, "check", path, dir)
			oneLineFailure(t, r, exitFailure)
			onlyLine(t, r)
			if r.stdout != "" {
				t.Errorf("check of a bad torrent printed %q", r.stdout)
			}
		})
	}
	f := newFixture(t)
	r := runDemo(t, 20*time.Second, nil, "check", f.torrent, filepath.Join(dir, "no-such-dir"))
	oneLineFailure(t, r, exitFailure, "save path")
	for _, args := range [][]string{{"check"}, {"check", f.torrent}, {"check", "-hashing-threads", "-1", f.torrent, dir}} {
		oneLineFailure(t, runDemo(t, 20*time.Second, nil, args...), exitUsage)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
