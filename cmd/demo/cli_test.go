package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// testFiles has the awkward cases: an empty file, a file smaller than a
// block, files whose ends are not piece-aligned.
var testFiles = map[string]int64{
	"pl/empty":     0,
	"pl/tiny.txt":  100,
	"pl/big.bin":   3<<20 + 12345,
	"pl/sub/b.bin": 700 << 10,
}

const testPieceSize = 64 << 10

// fixture is a payload in src/pl and its torrent made by "demo create".
type fixture struct {
	root, src, torrent string
	total              int64
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	root := t.TempDir()
	f := fixture{root: root, src: filepath.Join(root, "src"), torrent: filepath.Join(root, "pl.torrent")}
	if err := interop.MakePayload(f.src, testFiles, 7); err != nil {
		t.Fatal(err)
	}
	for _, n := range testFiles {
		f.total += n
	}
	r := runDemo(t, 30*time.Second, nil, "create", "-piece-size", fmt.Sprint(testPieceSize),
		"-tracker", "http://127.0.0.1:1/announce", "-o", f.torrent, filepath.Join(f.src, "pl"))
	if r.code != 0 {
		t.Fatalf("create: exit %d: %s", r.code, r.stderr)
	}
	return f
}

func TestCreateThenInfo(t *testing.T) {
	f := newFixture(t)
	r := runDemo(t, 30*time.Second, nil, "info", f.torrent)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("info: exit %d: %s", r.code, r.stderr)
	}
	pieces := (f.total + testPieceSize - 1) / testPieceSize
	for _, want := range []string{
		"name: pl\n",
		fmt.Sprintf("pieces: %d\n", pieces),
		fmt.Sprintf("piece length: %d\n", testPieceSize),
		fmt.Sprintf("total size: %d\n", f.total),
		"tracker tier 0: http://127.0.0.1:1/announce\n",
		fmt.Sprintf("files: %d\n", len(testFiles)),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("info lacks %q:\n%s", want, r.stdout)
		}
	}
	if !regexp.MustCompile(`(?m)^info-hash: [0-9a-f]{40}$`).MatchString(r.stdout) {
		t.Errorf("no info-hash line:\n%s", r.stdout)
	}
	for name, size := range testFiles {
		re := regexp.MustCompile(fmt.Sprintf(`(?m)^ +%d  %s$`, size, regexp.QuoteMeta(name)))
		if !re.MatchString(r.stdout) {
			t.Errorf("no line for %s (%d bytes):\n%s", name, size, r.stdout)
		}
	}
}

// badTorrents are files that must be refused with one line of error.
func badTorrents(t *testing.T, dir string) map[string]string {
	t.Helper()
	valid := newFixture(t)
	good, err := os.ReadFile(valid.torrent)
	if err != nil {
		t.Fatal(err)
	}
	contents := map[string][]byte{
		"garbage":   []byte("\x00\xffthis is not bencode at all\n\n\x7f"),
		"empty":     nil,
		"truncated": good[:len(good)/2],
		// A bencode bomb: a megabyte of nested lists.
		"nested": bytes.Repeat([]byte("l"), 1<<20),
		// A string claiming ten gigabytes.
		"huge-string": []byte("d8:announce10000000000:x"),
		"not-a-dict":  []byte("li1ei2ee"),
		"no-info":     []byte("d8:announce3:fooe"),
	}
	out := map[string]string{}
	for name, b := range contents {
		p := filepath.Join(dir, name+".torrent")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	out["missing"] = filepath.Join(dir, "no-such.torrent")
	return out
}

func TestBadTorrentsFailInOneLineAndWriteNothing(t *testing.T) {
	dir := t.TempDir()
	for name, path := range badTorrents(t, dir) {
		t.Run(name, func(t *testing.T) {
			r := runDemo(t, 20*time.Second, nil, "info", path)
			oneLineFailure(t, r, exitFailure)
			onlyLine(t, r)
			if r.stdout != "" {
				t.Errorf("info printed %q", r.stdout)
			}
			save := filepath.Join(dir, "save-"+name)
			r = runDemo(t, 20*time.Second, nil, "download", "-peer", "127.0.0.1:1", "-o", save, path)
			oneLineFailure(t, r, exitFailure)
			onlyLine(t, r)
			if _, err := os.Stat(save); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("download of a bad torrent created %s (%v)", save, err)
			}
			r = runDemo(t, 20*time.Second, nil, "seed", path, dir)
			oneLineFailure(t, r, exitFailure)
			onlyLine(t, r)
			if strings.Contains(r.stdout, "listening") {
				t.Errorf("seed of a bad torrent listened: %q", r.stdout)
			}
		})
	}
}

func TestSeedRefusesIncompleteFiles(t *testing.T) {
	f := newFixture(t)
	if err := os.Truncate(filepath.Join(f.src, "pl", "big.bin"), 1<<20); err != nil {
		t.Fatal(err)
	}
	r := runDemo(t, 30*time.Second, nil, "seed", f.torrent, f.src)
	oneLineFailure(t, r, exitFailure, "not complete")
	if r.stdout != "" {
		t.Errorf("stdout %q", r.stdout)
	}
	empty := t.TempDir()
	r = runDemo(t, 30*time.Second, nil, "seed", f.torrent, empty)
	oneLineFailure(t, r, exitFailure, "0 of")
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("seed wrote into an empty save path: %v", entries)
	}
}

func TestDownloadTimeout(t *testing.T) {
	f := newFixture(t)
	save := filepath.Join(f.root, "dst")
	// Nobody listens on port 1: the download cannot progress.
	r := runDemo(t, 30*time.Second, nil, "download", "-timeout", "1s", "-peer", "127.0.0.1:1", "-o", save, f.torrent)
	oneLineFailure(t, r, exitFailure, "timed out after 1s")
	if strings.Contains(r.stdout, "downloaded") {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"bogus"},
		{"create"},
		{"create", dir},
		{"create", "-piece-size", "-5", "-o", filepath.Join(dir, "x.torrent"), dir},
		{"info"},
		{"info", "a", "b"},
		{"info", "-nope", "x"},
		{"seed", "x.torrent"},
		{"seed", "-listen", "nonsense", "x.torrent", dir},
		{"download", "x.torrent"},
		{"download", "-o", filepath.Join(dir, "d"), "-peer", "noport", "x.torrent"},
		{"download", "-o", filepath.Join(dir, "d"), "-timeout", "soon", "x.torrent"},
		{"download", "-o", filepath.Join(dir, "d"), "-listen", "::::", "x.torrent"},
		{"download", "-o", filepath.Join(dir, "d"), "-transport", "quic", "x.torrent"},
		{"seed", "-transport", "", "x.torrent", dir},
	} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d; stderr %q", args, code, exitUsage, stderr.String())
			continue
		}
		if n := strings.Count(stderr.String(), "\n"); n != 1 || !strings.HasPrefix(stderr.String(), "demo: ") {
			t.Errorf("%v: stderr is not one line: %q", args, stderr.String())
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("usage errors wrote %v", entries)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"download", "-h"}, &stdout, &stderr)
	if code != exitOK || strings.Count(stdout.String(), "usage:") != 1 || !strings.Contains(stdout.String(), "-peer") {
		t.Errorf("download -h: exit %d, stdout %q", code, stdout.String())
	}
}

func TestParseArgsInterspersed(t *testing.T) {
	fs := newFlagSet("x", "x", &bytes.Buffer{})
	o := fs.String("o", "", "")
	var peers stringList
	fs.Var(&peers, "peer", "")
	pos, err := parseArgs(fs, []string{"a", "-o", "out", "b", "-peer", "p1", "-peer", "p2", "--", "-c"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(pos, " ") != "a b -c" || *o != "out" || strings.Join(peers, " ") != "p1 p2" {
		t.Fatalf("pos %q o %q peers %q", pos, *o, peers)
	}
}
