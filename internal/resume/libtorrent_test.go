package resume

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/metainfo"
)

// The interop test drives Debian's python3-libtorrent 2.0.8 through
// testdata/lt_resume.py: libtorrent writes a resume file we decode, and
// loads the one we encode.

const python = "/usr/bin/python3" // the only interpreter that imports libtorrent here

var (
	ltOnce   sync.Once
	ltReason string // why the libtorrent test is skipped, "" if it runs
)

func requireLibtorrent(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped in -short mode: runs python3-libtorrent")
	}
	ltOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(ctx, python, "-c", "import libtorrent").CombinedOutput(); err != nil {
			ltReason = "python3-libtorrent unavailable: " + python + " -c 'import libtorrent': " + err.Error() + ": " + string(out)
		}
	})
	if ltReason != "" {
		t.Skip(ltReason)
	}
}

// runScript runs lt_resume.py with args and decodes its JSON report into
// out. The process is killed (by its PID, through CommandContext) if it
// outlives its timeout.
func runScript(t *testing.T, out any, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, append([]string{filepath.Join("testdata", "lt_resume.py")}, args...)...)
	cmd.WaitDelay = 2 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("lt_resume.py %v: %v\nstdout: %s\nstderr: %s", args, err, stdout.Bytes(), stderr.Bytes())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("lt_resume.py %v: bad report %q: %v", args, stdout.Bytes(), err)
	}
}

// makeTorrent writes a small multi-file payload under dir/save and its
// .torrent, and returns the parsed torrent and the .torrent's path.
func makeTorrent(t *testing.T, dir string, trackers [][]string) (*metainfo.MetaInfo, string) {
	t.Helper()
	root := filepath.Join(dir, "save", "multi")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for name, size := range map[string]int{"a.bin": 40000, "b.bin": 30000, "empty.txt": 0} {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if err := os.WriteFile(filepath.Join(root, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, err := metainfo.Create(root, metainfo.CreateOptions{PieceLength: 16 << 10, Trackers: trackers})
	if err != nil {
		t.Fatal(err)
	}
	tb, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "t.torrent")
	if err := os.WriteFile(path, tb, 0o644); err != nil {
		t.Fatal(err)
	}
	return m, path
}

// diskStates stats the torrent's files as the caller of Validate would.
func diskStates(t *testing.T, save string, info *metainfo.Info) []FileState {
	t.Helper()
	out := make([]FileState, len(info.Files))
	for k, f := range info.Files {
		st, err := os.Stat(filepath.Join(save, f.Path))
		if err == nil {
			out[k] = FileState{Exists: true, Size: st.Size(), MTime: st.ModTime().Unix()}
		}
	}
	return out
}

type loadReport struct {
	States          []string `json:"states"`
	Rejected        *string  `json:"rejected"`
	PiecesAtChecked []bool   `json:"pieces_at_checked"`
	Seeding         bool     `json:"seeding"`
	TimedOut        bool     `json:"timed_out"`
	Trackers        [][]any  `json:"trackers"`
}

func TestLibtorrentRoundTrip(t *testing.T) {
	requireLibtorrent(t)
	dir := t.TempDir()
	trackers := [][]string{{"http://127.0.0.1:1/announce"}, {"http://127.0.0.1:2/announce"}}
	m, torrentPath := makeTorrent(t, dir, trackers)
	save := filepath.Join(dir, "save")
	ltResume := filepath.Join(dir, "lt.resume")

	// libtorrent → us.
	var saved struct{ Saved int }
	runScript(t, &saved, "save", "--torrent", torrentPath, "--save", save, "--out", ltResume)
	raw, err := os.ReadFile(ltResume)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decode(raw)
	if err != nil {
		t.Fatalf("Decode(libtorrent's file): %v", err)
	}
	if d.InfoHash != m.InfoHash {
		t.Errorf("InfoHash = %x, want %x", d.InfoHash, m.InfoHash)
	}
	if !bytes.Equal(d.Pieces, bytes.Repeat([]byte{1}, m.Info.NumPieces())) {
		t.Errorf("Pieces = %x, want %d × 01", d.Pieces, m.Info.NumPieces())
	}
	if !bytes.Equal(d.Info, m.InfoBytes) {
		t.Errorf("Info differs from the .torrent's info dict")
	}
	if !reflect.DeepEqual(d.Trackers, trackers) {
		t.Errorf("Trackers = %q, want %q", d.Trackers, trackers)
	}
	if d.LibtorrentVersion != "2.0.8.0" || d.Name != "multi" || d.SavePath != save || d.FileSizes != nil {
		t.Errorf("version %q, name %q, save_path %q, file sizes %v", d.LibtorrentVersion, d.Name, d.SavePath, d.FileSizes)
	}
	// Our encoder writes what 2.0.8 writes: for a v1 torrent, the same bytes.
	again, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, raw) {
		t.Errorf("Encode(Decode(libtorrent's file)) differs:\n got %q\nwant %q", again, raw)
	}
	disk := diskStates(t, save, &m.Info)
	v, err := Validate(d, m.InfoHash, &m.Info, disk)
	if err != nil || v.Reason != "" || !allTrue(v.Have) {
		t.Fatalf("Validate = %+v, %v; want every piece trusted", v, err)
	}

	// us → libtorrent: our file, with "file sizes" and our version string.
	d.LibtorrentVersion = "actorrent-test"
	d.FileSizes = make([]FileSize, len(disk))
	for k, st := range disk {
		d.FileSizes[k] = FileSize{Size: st.Size, MTime: st.MTime}
	}
	ours, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	oursPath := filepath.Join(dir, "ours.resume")
	if err := os.WriteFile(oursPath, ours, 0o644); err != nil {
		t.Fatal(err)
	}
	var rep loadReport
	runScript(t, &rep, "load", "--resume", oursPath, "--save", save)
	for _, s := range rep.States {
		if s == "checking_files" {
			t.Errorf("libtorrent did a full check of our resume data: states %v", rep.States)
		}
	}
	if rep.Rejected != nil || rep.TimedOut || !rep.Seeding || !allTrue(rep.PiecesAtChecked) ||
		len(rep.PiecesAtChecked) != m.Info.NumPieces() {
		t.Errorf("libtorrent loaded our resume data as %+v; want seeding at once", rep)
	}
	if len(rep.Trackers) != 2 {
		t.Errorf("libtorrent's trackers after load: %v", rep.Trackers)
	}

	// Truncate b.bin (pieces 2..4): libtorrent rejects the resume data and
	// checks the files; its findings must agree with Validate's: every
	// piece we trust is one it finds good, and every piece it finds good we
	// trust or verify.
	b := filepath.Join(save, "multi", "b.bin")
	if err := os.Truncate(b, 20000); err != nil {
		t.Fatal(err)
	}
	rep = loadReport{}
	runScript(t, &rep, "load", "--resume", oursPath, "--save", save, "--timeout", "5")
	if rep.Rejected == nil || len(rep.PiecesAtChecked) != m.Info.NumPieces() {
		t.Fatalf("libtorrent took resume data over a truncated file: %+v", rep)
	}
	v, err = Validate(d, m.InfoHash, &m.Info, diskStates(t, save, &m.Info))
	if err != nil {
		t.Fatal(err)
	}
	for p, good := range rep.PiecesAtChecked {
		if v.Have[p] && !good || good && !v.Have[p] && !v.Verify[p] {
			t.Errorf("piece %d: libtorrent good=%v, Validate have=%v verify=%v", p, good, v.Have[p], v.Verify[p])
		}
	}
	if want := []bool{true, true, false, false, false}; !reflect.DeepEqual(v.Have, want) {
		t.Errorf("Have = %v, want %v (b.bin holds pieces 2..4); reason %q", v.Have, want, v.Reason)
	}
}

func allTrue(b []bool) bool {
	for _, x := range b {
		if !x {
			return false
		}
	}
	return len(b) > 0
}
