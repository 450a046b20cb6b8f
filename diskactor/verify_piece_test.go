package diskactor

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/actorrent/actorrent/messages"
)

// DiskVerifyPiece hashes one piece on disk as a check would: every piece
// of a multi-file torrent, with a corrupted piece, a missing file and a
// short last piece, comes out as a byte comparison says; missing data is
// no error.
func TestVerifyPiece(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2)})
	files := []fileSpec{{"00-a", 100_000}, {"01-missing", 40_000}, {"02-b", 70_001}}
	mp := makeMultiPayload(t, t.TempDir(), files, 32<<10, 7)
	dst := t.TempDir()
	mp.copyTo(t, dst)
	must(t, os.Remove(filepath.Join(dst, "top", "01-missing")))
	corrupt(t, filepath.Join(dst, "top", "02-b"), 50_000)
	want := mp.expectedHave(t, dst)
	owner, rec := r.spawnRecorder()
	r.addInfo(mp.meta, dst, owner)
	for p := range want {
		r.sys.Root.Send(r.disk, &messages.DiskVerifyPiece{InfoHash: mp.meta.InfoHash, Piece: p, ReplyTo: owner})
	}
	got := make([]bool, len(want))
	for p := range want {
		m := rec.waitFor(t, fmt.Sprintf("DiskVerifyPieceReply %d", p), func(m any) bool {
			v, ok := m.(*messages.DiskVerifyPieceReply)
			return ok && v.Piece == p
		}).(*messages.DiskVerifyPieceReply)
		if m.Err != nil {
			t.Errorf("piece %d: %v", p, m.Err)
		}
		got[p] = m.OK
	}
	sameHave(t, got, want)
	good := 0
	for _, ok := range want {
		if ok {
			good++
		}
	}
	if good == 0 || good == len(want) {
		t.Fatalf("fixture: %d of %d pieces good; the test wants both kinds", good, len(want))
	}
}

// A torrent the disk does not know gets a failed answer, not silence.
func TestVerifyPieceUnknownTorrent(t *testing.T) {
	r := newRig(t, Config{})
	owner, rec := r.spawnRecorder()
	r.sys.Root.Send(r.disk, &messages.DiskVerifyPiece{Piece: 0, ReplyTo: owner})
	m := rec.waitFor(t, "DiskVerifyPieceReply", func(m any) bool { _, ok := m.(*messages.DiskVerifyPieceReply); return ok }).(*messages.DiskVerifyPieceReply)
	if m.OK || m.Err == nil {
		t.Fatalf("reply %+v: want a failure with an error", m)
	}
}
