package diskactor

import (
	"bytes"
	"sync"
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// seed registers pl's torrent saved under dir (where its file is) and
// checks it, so every piece is had and reads go through the read cache.
// It returns the torrent's owner's recorder.
func (r *rig) seed(pl payload, dir string) *recorder {
	r.t.Helper()
	owner, rec := r.spawnRecorder()
	r.add(pl, dir, owner, nil, 0)
	rep := r.checkAndWait(&messages.DiskCheck{InfoHash: pl.meta.InfoHash}, rec)
	for p, ok := range rep.Have {
		if !ok {
			r.t.Fatalf("seed: piece %d not had after the check", p)
		}
	}
	return rec
}

func isReadReply(m any) bool { _, ok := m.(*messages.DiskReadReply); return ok }

// readBlock asks for block bi of piece as the peer with recorder rec and
// waits for the answer, which must be the payload's bytes.
func (r *rig) readBlock(pl payload, peer *actor.PID, rec *recorder, piece, bi int) {
	r.t.Helper()
	before := len(rec.all(isReadReply))
	r.sendRead(pl, peer, piece, bi)
	got := rec.waitN(r.t, "DiskReadReply", before+1, isReadReply)[before].(*messages.DiskReadReply)
	checkReply(r, pl, got)
	r.settle()
}

// settle waits until the disk has no job queued or running: the peer gets
// its block before the read-ahead job ends and puts its blocks in the read
// cache, so without this a later read could overtake that insert.
func (r *rig) settle() {
	r.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for r.cacheInfo(&messages.DiskCacheInfo{NoPieces: true}).NumJobs != 0 {
		if time.Now().After(deadline) {
			r.t.Fatal("the disk never went idle")
		}
		time.Sleep(time.Millisecond)
	}
}

// sendRead asks for block bi of piece without waiting.
func (r *rig) sendRead(pl payload, peer *actor.PID, piece, bi int) {
	off := int64(bi) * bufpool.BlockSize
	n := min(bufpool.BlockSize, pl.meta.Info.PieceSize(piece)-off)
	r.sys.Root.Send(r.disk, &messages.DiskRead{InfoHash: pl.meta.InfoHash, Piece: piece,
		Begin: int(off), Length: int(n), ReplyTo: peer})
}

// checkReply fails the test unless a read reply carries the payload's
// bytes; it gives the buffer back as a peer would.
func checkReply(r *rig, pl payload, m *messages.DiskReadReply) {
	r.t.Helper()
	if m.Err != nil {
		r.t.Fatalf("read of piece %d at %d: %v", m.Piece, m.Begin, m.Err)
	}
	off := pl.meta.Info.PieceOffset(m.Piece) + int64(m.Begin)
	if !bytes.Equal(m.Data, pl.data[off:off+int64(len(m.Data))]) {
		r.t.Fatalf("read of piece %d at %d: wrong bytes", m.Piece, m.Begin)
	}
}

func (r *rig) cacheInfo(m *messages.DiskCacheInfo) *messages.CacheStatus {
	r.t.Helper()
	return r.request(m).(*messages.CacheStatus)
}

// blockingWrites is a storage whose writes wait at a gate, so a test can
// look at the disk while a worker is inside a write.
type blockingWrites struct {
	storage.Interface
	once    sync.Once
	entered chan struct{}
	open    chan struct{}
}

func (b *blockingWrites) hold() {
	b.once.Do(func() {
		close(b.entered)
		<-b.open
	})
}

func (b *blockingWrites) WriteAt(p []byte, off int64) (int, error) {
	b.hold()
	return b.Interface.WriteAt(p, off)
}

func (b *blockingWrites) WriteBlocksAt(bs [][]byte, off int64) (int, error) {
	b.hold()
	return b.Interface.WriteBlocksAt(bs, off)
}
