package diskactor

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// fileSpec is one file of a multi-file test torrent.
type fileSpec struct {
	name string
	size int64
}

// multiPayload is a multi-file torrent made from files under src/top, and
// its byte stream (the files concatenated in torrent order).
type multiPayload struct {
	meta   *metainfo.MetaInfo
	stream []byte
}

// makeMultiPayload writes random files under src/top and makes their
// torrent. Names sort in the order given, so the torrent keeps it.
func makeMultiPayload(tb testing.TB, src string, files []fileSpec, pieceLen, seed int64) multiPayload {
	tb.Helper()
	rng := rand.New(rand.NewSource(seed))
	top := filepath.Join(src, "top")
	var total int64
	for _, f := range files {
		total += f.size
	}
	stream := make([]byte, 0, total)
	for _, f := range files {
		data := make([]byte, f.size)
		rng.Read(data)
		p := filepath.Join(top, f.name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			tb.Fatal(err)
		}
		stream = append(stream, data...)
	}
	mi, err := metainfo.Create(top, metainfo.CreateOptions{PieceLength: pieceLen})
	if err != nil {
		tb.Fatal(err)
	}
	if len(mi.Info.Files) != len(files) {
		tb.Fatalf("torrent has %d files, want %d", len(mi.Info.Files), len(files))
	}
	for i, f := range mi.Info.Files {
		if f.Path != filepath.Join("top", filepath.FromSlash(files[i].name)) {
			tb.Fatalf("file %d of the torrent is %s, want %s", i, f.Path, files[i].name)
		}
	}
	return multiPayload{meta: mi, stream: stream}
}

// copyTo lays the payload's files out under dst as a torrent saved there
// has them (dst/top/...).
func (mp multiPayload) copyTo(tb testing.TB, dst string) {
	tb.Helper()
	for _, f := range mp.meta.Info.Files {
		p := filepath.Join(dst, f.Path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, mp.stream[f.Offset:f.Offset+f.Length], 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// expectedHave says, from what is under dst, which pieces a check must
// find: those whose every byte is on disk and right.
func (mp multiPayload) expectedHave(tb testing.TB, dst string) []bool {
	tb.Helper()
	info := &mp.meta.Info
	onDisk := make([]byte, info.TotalLength)
	present := make([]bool, info.TotalLength)
	for _, f := range info.Files {
		b, err := os.ReadFile(filepath.Join(dst, f.Path))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			tb.Fatal(err)
		}
		n := min(int64(len(b)), f.Length)
		copy(onDisk[f.Offset:], b[:n])
		for i := range n {
			present[f.Offset+i] = true
		}
	}
	want := make([]bool, info.NumPieces())
	for p := range want {
		off, size := info.PieceOffset(p), info.PieceSize(p)
		want[p] = bytes.Equal(onDisk[off:off+size], mp.stream[off:off+size]) &&
			!bytes.Contains(boolBytes(present[off:off+size]), []byte{0})
	}
	return want
}

func boolBytes(bs []bool) []byte {
	out := make([]byte, len(bs))
	for i, b := range bs {
		if b {
			out[i] = 1
		}
	}
	return out
}

// addInfo registers a torrent saved under dir with the disk.
func (r *rig) addInfo(mi *metainfo.MetaInfo, dir string, owner *actor.PID) {
	r.sys.Root.Send(r.disk, &messages.DiskAddTorrent{InfoHash: mi.InfoHash, Info: &mi.Info, SavePath: dir, Owner: owner})
}

// checkAndWait runs a check and returns its reply.
func (r *rig) checkAndWait(m *messages.DiskCheck, rec *recorder) *messages.DiskCheckReply {
	r.t.Helper()
	before := len(rec.all(isCheckReply))
	r.sys.Root.Send(r.disk, m)
	return rec.waitN(r.t, "DiskCheckReply", before+1, isCheckReply)[before].(*messages.DiskCheckReply)
}

func isCheckReply(m any) bool { _, ok := m.(*messages.DiskCheckReply); return ok }

func isProgress(m any) bool { _, ok := m.(*messages.DiskCheckProgress); return ok }

// all returns the recorded messages satisfying ok, in arrival order.
func (r *recorder) all(ok func(any) bool) []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []any
	for _, m := range r.msgs {
		if ok(m) {
			out = append(out, m)
		}
	}
	return out
}

// waitN waits until n recorded messages satisfy ok and returns them.
func (r *recorder) waitN(t *testing.T, what string, n int, ok func(any) bool) []any {
	t.Helper()
	r.waitFor(t, what, func(any) bool { return len(r.allLocked(ok)) >= n })
	return r.all(ok)
}

// allLocked is all for use inside waitFor's callback (mu is held).
func (r *recorder) allLocked(ok func(any) bool) []any {
	var out []any
	for _, m := range r.msgs {
		if ok(m) {
			out = append(out, m)
		}
	}
	return out
}

// sameHave compares a check's answer with what was expected.
func sameHave(t *testing.T, got, want []bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("have %d pieces, want %d", len(got), len(want))
	}
	for p := range want {
		if got[p] != want[p] {
			t.Fatalf("piece %d: have %v, want %v\n got %v\nwant %v", p, got[p], want[p], got, want)
		}
	}
}
