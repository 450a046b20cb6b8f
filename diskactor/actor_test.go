package diskactor

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/actorrent/actorrent/messages"
)

// Blocks of a piece arriving out of order are assembled, hashed, written,
// and the credit they held comes back.
func TestWriteOutOfOrderHashesAndWrites(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2)})
	pl := makePayload(t, t.TempDir(), "f.bin", 200_000, 64<<10, 1)
	dst := t.TempDir()
	owner, rec := r.spawnRecorder()
	credit := &countingCredit{}
	r.add(pl, dst, owner, credit, 0)
	n := numBlocks(pl, 1)
	for _, b := range []int{3, 0, 2, 1}[:n] {
		r.writeBlock(pl, 1, b, false)
	}
	h := rec.hashed(t, 1)
	if !h.OK || h.Err != nil {
		t.Fatalf("PieceHashed = %+v, want ok", h)
	}
	off, size := pl.meta.Info.PieceOffset(1), pl.meta.Info.PieceSize(1)
	if !bytes.Equal(fileRange(t, dst, pl, off, size), pl.data[off:off+size]) {
		t.Fatal("piece 1 on disk differs from what was sent")
	}
	if got := credit.released.Load(); got != size {
		t.Fatalf("credit released %d, want %d", got, size)
	}
	if st := r.status(); st.CachedBytes != 0 || st.ReadBack != 0 {
		t.Fatalf("status %+v: want an empty cache and no read-back", st)
	}
}

// A piece with a corrupt block fails its hash, is not written and not
// marked: the same piece sent again (good) passes.
func TestBadPieceFailsAndIsNotMarked(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2)})
	pl := makePayload(t, t.TempDir(), "f.bin", 128<<10, 64<<10, 2)
	dst := t.TempDir()
	owner, rec := r.spawnRecorder()
	r.add(pl, dst, owner, nil, 0)
	for b := range numBlocks(pl, 0) {
		r.writeBlock(pl, 0, b, b == 2)
	}
	if h := rec.hashed(t, 0); h.OK || h.Err != nil {
		t.Fatalf("corrupt piece: PieceHashed = %+v, want !ok without a disk error", h)
	}
	if _, err := os.Stat(filepath.Join(dst, "f.bin")); err == nil {
		b := fileRange(t, dst, pl, 0, 1)
		if b[0] == pl.data[0] {
			t.Fatal("a piece that failed its hash was written")
		}
	}
	// Not marked done: a good copy is accepted.
	rec.mu.Lock()
	rec.msgs = nil
	rec.mu.Unlock()
	for b := range numBlocks(pl, 0) {
		r.writeBlock(pl, 0, b, false)
	}
	if h := rec.hashed(t, 0); !h.OK {
		t.Fatalf("good copy after a bad one: %+v", h)
	}
}

// When a torrent's cached bytes reach its credit limit, partial pieces are
// written out; completing the piece then reads those blocks back to hash.
// The piece's first block comes last, so the flushed blocks lie past a
// gap that incremental hashing cannot cross (in order, they would be
// hashed on their way out: see TestInOrderFlushNeedsNoReadBack).
func TestPartialFlushAtCreditLimitAndReadBack(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2)})
	const pieceLen = 256 << 10 // 16 blocks
	pl := makePayload(t, t.TempDir(), "f.bin", 2*pieceLen, pieceLen, 3)
	dst := t.TempDir()
	owner, rec := r.spawnRecorder()
	credit := &countingCredit{}
	r.add(pl, dst, owner, credit, 128<<10) // flush from 96 KiB cached
	n := numBlocks(pl, 0)
	for b := 1; b < n; b++ {
		r.writeBlock(pl, 0, b, false)
	}
	// The flush runs on a worker: wait until the disk has its result.
	r.finished("a partial flush with the cache at the credit limit", 1, func(j job) bool {
		_, ok := j.(*flushJob)
		return ok
	})
	if st := r.status(); st.BlocksWritten == 0 {
		t.Fatalf("status %+v: the partial flush wrote nothing of the incomplete piece", st)
	}
	if h := rec.all(func(any) bool { return true }); len(h) != 0 {
		t.Fatalf("messages before the piece was complete: %v", h)
	}
	r.writeBlock(pl, 0, 0, false)
	if h := rec.hashed(t, 0); !h.OK || h.Err != nil {
		t.Fatalf("PieceHashed = %+v", h)
	}
	st := r.status()
	if st.ReadBack == 0 {
		t.Fatalf("status %+v: completing a flushed piece must read blocks back", st)
	}
	if !bytes.Equal(fileRange(t, dst, pl, 0, pieceLen), pl.data[:pieceLen]) {
		t.Fatal("flushed piece differs on disk")
	}
	if got := credit.released.Load(); got != pieceLen {
		t.Fatalf("credit released %d, want %d", got, pieceLen)
	}
}

// DiskRemoveTorrent waits for the torrent's running jobs (the fence) and,
// with DeleteFiles, removes its files.
func TestRemoveWaitsForInFlightJobsAndDeletes(t *testing.T) {
	gate := make(chan struct{})
	var gateOpen, closedEarly atomic.Bool
	var hashing atomic.Int32
	before := func(j any) {
		switch j.(type) {
		case *hashWriteJob:
			hashing.Add(1)
			<-gate
		case *closeJob:
			if !gateOpen.Load() {
				closedEarly.Store(true)
			}
		}
	}
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 4), BeforeJob: before})
	pl := makePayload(t, t.TempDir(), "f.bin", 128<<10, 64<<10, 4)
	dst := t.TempDir()
	owner, _ := r.spawnRecorder()
	r.add(pl, dst, owner, nil, 0)
	// Piece 0 lands on disk first, so there is a file to delete.
	r.writeBlock(pl, 0, 0, false)
	for b := 1; b < numBlocks(pl, 0); b++ {
		r.writeBlock(pl, 0, b, false)
	}
	for hashing.Load() < 1 {
		r.status() // each round trip lets the disk dispatch
	}
	gateOpen.Store(true)
	gate <- struct{}{}
	r.status()
	// Now hold piece 1's job and remove the torrent behind it.
	for b := range numBlocks(pl, 1) {
		r.writeBlock(pl, 1, b, false)
	}
	for hashing.Load() < 2 {
		r.status()
	}
	gateOpen.Store(false)
	f := r.sys.Root.RequestFuture(r.disk, &messages.DiskRemoveTorrent{InfoHash: pl.meta.InfoHash, DeleteFiles: true}, 10e9)
	r.status() // the remove was handled; its job is still held
	if closedEarly.Load() {
		t.Fatal("close job ran while a job of the torrent was still running")
	}
	gateOpen.Store(true)
	close(gate)
	res, err := f.Result()
	if err != nil {
		t.Fatal(err)
	}
	if rep := res.(*messages.DiskRemoveTorrentReply); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if closedEarly.Load() {
		t.Fatal("close job ran before the fence dropped")
	}
	if _, err := os.Stat(filepath.Join(dst, "f.bin")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("file still there after DeleteFiles: %v", err)
	}
}

// A full check finds exactly the pieces whose data is right.
func TestCheckFindsGoodPieces(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 3)})
	src := t.TempDir()
	pl := makePayload(t, src, "f.bin", 5*32<<10+100, 32<<10, 5) // 6 pieces
	dst := t.TempDir()
	bad := append([]byte(nil), pl.data...)
	bad[pl.meta.Info.PieceOffset(2)+7] ^= 1    // piece 2 corrupt
	bad = bad[:pl.meta.Info.PieceOffset(4)+10] // pieces 4 and 5 short
	if err := os.WriteFile(filepath.Join(dst, "f.bin"), bad, 0o644); err != nil {
		t.Fatal(err)
	}
	owner, rec := r.spawnRecorder()
	r.add(pl, dst, owner, nil, 0)
	r.sys.Root.Send(r.disk, &messages.DiskCheck{InfoHash: pl.meta.InfoHash})
	rep := rec.waitFor(t, "DiskCheckReply", func(m any) bool { _, ok := m.(*messages.DiskCheckReply); return ok }).(*messages.DiskCheckReply)
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	want := []bool{true, true, false, true, false, false}
	if len(rep.Have) != len(want) {
		t.Fatalf("have %v, want %v", rep.Have, want)
	}
	for i := range want {
		if rep.Have[i] != want[i] {
			t.Fatalf("have %v, want %v", rep.Have, want)
		}
	}
}
