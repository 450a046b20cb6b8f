package diskactor

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/actorrent/actorrent/messages"
)

// gate blocks the worker running the first read job of one torrent until
// it is opened, so a test can hold a job "running" for as long as it
// needs.
type gate struct {
	ih      messages.InfoHash
	once    sync.Once
	entered chan struct{}
	open    chan struct{}
}

func newGate(ih messages.InfoHash) *gate {
	return &gate{ih: ih, entered: make(chan struct{}), open: make(chan struct{})}
}

func (g *gate) beforeJob(j any) {
	rj, ok := j.(*readJob)
	if !ok || rj.ih != g.ih {
		return
	}
	g.once.Do(func() {
		close(g.entered)
		<-g.open
	})
}

// TestFenceOrdersJobs: a move raised while a read of the torrent runs
// waits for it; a read sent after the move waits for the move (and reads
// the moved file); another torrent's read is not held by the fence.
func TestFenceOrdersJobs(t *testing.T) {
	src, other := t.TempDir(), t.TempDir()
	pl := makePayload(t, src, "f.bin", 256<<10, 64<<10, 1)
	pl2 := makePayload(t, other, "g.bin", 64<<10, 64<<10, 2)
	g := newGate(pl.meta.InfoHash)
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 3), BeforeJob: g.beforeJob})
	owner, _ := r.spawnRecorder()
	r.add(pl, src, owner, nil, 1<<20)
	r.add(pl2, other, owner, nil, 1<<20)
	peer, rec := r.spawnRecorder()

	read := func(p payload, piece int) {
		r.sys.Root.Send(r.disk, &messages.DiskRead{InfoHash: p.meta.InfoHash, Piece: piece, Length: 16 << 10, ReplyTo: peer})
	}
	read(pl, 0)
	<-g.entered // read 1 is running, and held there
	dst := filepath.Join(t.TempDir(), "moved")
	r.sys.Root.RequestWithCustomSender(r.disk, &messages.DiskMoveStorage{InfoHash: pl.meta.InfoHash, SavePath: dst}, peer)
	read(pl, 1)  // behind the fence
	read(pl2, 0) // another torrent: not held
	rec.waitFor(t, "the other torrent's read", func(m any) bool {
		rr, ok := m.(*messages.DiskReadReply)
		return ok && rr.Piece == 0 && bytes.Equal(rr.Data, pl2.data[:16<<10])
	})
	rec.mu.Lock()
	early := len(rec.msgs)
	rec.mu.Unlock()
	if early != 1 {
		t.Fatalf("%d replies while the fence waits for read 1, want only the other torrent's", early)
	}
	close(g.open)
	rec.waitFor(t, "read 2", func(m any) bool {
		rr, ok := m.(*messages.DiskReadReply)
		return ok && rr.Piece == 1
	})

	rec.mu.Lock()
	defer rec.mu.Unlock()
	var order []string
	for _, m := range rec.msgs[1:] {
		switch m := m.(type) {
		case *messages.DiskReadReply:
			if m.Err != nil {
				t.Errorf("read of piece %d: %v", m.Piece, m.Err)
			}
			order = append(order, "read")
		case *messages.DiskMoveStorageReply:
			if m.Err != nil || m.SavePath != dst {
				t.Errorf("move: %q %v", m.SavePath, m.Err)
			}
			order = append(order, "move")
		}
	}
	if len(order) != 3 || order[0] != "read" || order[1] != "move" || order[2] != "read" {
		t.Fatalf("order %v, want [read move read]", order)
	}
	if _, err := os.Stat(filepath.Join(dst, "f.bin")); err != nil {
		t.Errorf("the file was not moved: %v", err)
	}
}

// TestRenameAndReleaseFiles: the other fence jobs answer and keep the
// data readable.
func TestRenameAndReleaseFiles(t *testing.T) {
	src := t.TempDir()
	pl := makePayload(t, src, "f.bin", 64<<10, 64<<10, 3)
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2)})
	owner, _ := r.spawnRecorder()
	r.add(pl, src, owner, nil, 1<<20)
	rn := r.request(&messages.DiskRenameFile{InfoHash: pl.meta.InfoHash, Index: 0, Name: filepath.Join("sub", "new.bin")}).(*messages.DiskRenameFileReply)
	if rn.Err != nil {
		t.Fatal(rn.Err)
	}
	if _, err := os.Stat(filepath.Join(src, "sub", "new.bin")); err != nil {
		t.Fatal(err)
	}
	if rr := r.request(&messages.DiskReleaseFiles{InfoHash: pl.meta.InfoHash}).(*messages.DiskReleaseFilesReply); rr.Err != nil {
		t.Fatal(rr.Err)
	}
	peer, rec := r.spawnRecorder()
	r.sys.Root.Send(r.disk, &messages.DiskRead{InfoHash: pl.meta.InfoHash, Piece: 0, Length: 16 << 10, ReplyTo: peer})
	rec.waitFor(t, "read after rename", func(m any) bool {
		rr, ok := m.(*messages.DiskReadReply)
		return ok && rr.Err == nil && bytes.Equal(rr.Data, pl.data[:16<<10])
	})
	bad := r.request(&messages.DiskRenameFile{InfoHash: pl.meta.InfoHash, Index: 7, Name: "x"}).(*messages.DiskRenameFileReply)
	if bad.Err == nil {
		t.Error("renaming a file that does not exist succeeded")
	}
}
