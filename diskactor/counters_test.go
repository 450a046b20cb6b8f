package diskactor

import (
	"github.com/actorrent/actorrent/internal/bufpool"
	"testing"

	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
)

func TestWindowMean(t *testing.T) {
	var w window
	if w.mean() != 0 {
		t.Fatal("empty window has a mean")
	}
	for range timingWindow {
		w.add(1000)
	}
	for range timingWindow / 2 {
		w.add(3000) // half the window now holds 3000
	}
	if got := w.mean(); got != 2000 {
		t.Fatalf("mean %v, want 2µs over the last %d samples", got, timingWindow)
	}
}

// The job gauges read the queue, the workers and the fences as they are:
// with both workers held (one in a read, one inside a write), a read
// queued, a move fence raised and a read held behind it, every count is
// the one libtorrent's cache_status defines; all drop to zero after.
func TestJobGaugesWithFenceAndWorkersBusy(t *testing.T) {
	src := t.TempDir()
	seed := makePayload(t, src, "seed.bin", 4*(64<<10), 64<<10, 41)
	g := newGate(seed.meta.InfoHash)
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2, "cache_size", int((4<<20)/bufpool.BlockSize)), BeforeJob: g.beforeJob})
	r.seed(seed, src)
	peer, prec := r.spawnRecorder()
	r.sendRead(seed, peer, 0, 0)
	<-g.entered // worker 1 is in the read

	down := makePayload(t, t.TempDir(), "down.bin", 64<<10, 64<<10, 42)
	bw := &blockingWrites{entered: make(chan struct{}), open: make(chan struct{})}
	owner, drec := r.spawnRecorder()
	r.sys.Root.Send(r.disk, &messages.DiskAddTorrent{InfoHash: down.meta.InfoHash, Info: &down.meta.Info,
		SavePath: t.TempDir(), Owner: owner,
		NewStorage: func(dir string, files []storage.FileSpec, opts storage.Options) (storage.Interface, error) {
			st, err := storage.NewFiles(dir, files, opts)
			bw.Interface = st
			return bw, err
		}})
	nb := numBlocks(down, 0)
	for b := range nb {
		r.writeBlock(down, 0, b, false)
	}
	<-bw.entered // worker 2 is inside the piece's write

	r.sendRead(seed, peer, 1, 0) // queued: no worker free
	r.sys.Root.RequestWithCustomSender(r.disk, &messages.DiskMoveStorage{InfoHash: seed.meta.InfoHash, SavePath: t.TempDir()}, peer)
	r.sendRead(seed, peer, 2, 0) // held behind the fence

	ci := r.cacheInfo(&messages.DiskCacheInfo{NoPieces: true})
	type gauges struct {
		pending, queued, readQueue, blocked, jobs, readJobs, writeJobs, writing, pinned, writeBlocks, writePieces int
	}
	want := gauges{2, 1, 1, 1, 5, 3, 1, 1, nb, nb, 1}
	got := gauges{ci.PendingJobs, ci.QueuedJobs, ci.ReadQueueSize, ci.BlockedJobs, ci.NumJobs, ci.NumReadJobs,
		ci.NumWriteJobs, ci.NumWritingThreads, ci.PinnedBlocks, ci.WriteCacheSize, ci.ArcWriteSize}
	if got != want || ci.NumFenceJobs[messages.DiskJobMoveStorage] != 1 || ci.PeakQueued < 1 {
		t.Fatalf("gauges\n got %+v\nwant %+v\nfences %v peak %d", got, want, ci.NumFenceJobs, ci.PeakQueued)
	}

	close(g.open)
	close(bw.open)
	if h := drec.hashed(t, 0); !h.OK {
		t.Fatalf("PieceHashed = %+v", h)
	}
	prec.waitN(t, "the reads", 3, isReadReply)
	prec.waitFor(t, "the move", func(m any) bool { _, ok := m.(*messages.DiskMoveStorageReply); return ok })
	// The read held behind the fence answered its peer after its first
	// block and may still be reading ahead: the gauges drop to zero
	// once the disk has its result, not at the reply.
	r.finished("the read behind the fence", 1, func(j job) bool {
		rj, ok := j.(*readJob)
		return ok && rj.req.Piece == 2
	})
	ci = r.cacheInfo(&messages.DiskCacheInfo{NoPieces: true})
	if ci.PendingJobs+ci.QueuedJobs+ci.BlockedJobs+ci.NumJobs+ci.NumWritingThreads+ci.PinnedBlocks+ci.WriteCacheSize != 0 ||
		ci.NumFenceJobs != [messages.NumDiskJobActions]int{} {
		t.Fatalf("gauges after everything finished: %+v", ci)
	}
	// The move forgot what was read before it (the files may differ
	// now): only the read held behind its fence is cached.
	var cached []int
	for _, p := range r.cacheInfo(&messages.DiskCacheInfo{InfoHash: seed.meta.InfoHash, Torrent: true}).Pieces {
		cached = append(cached, p.Piece)
	}
	if len(cached) != 1 || cached[0] != 2 {
		t.Fatalf("read cache holds pieces %v after the move, want [2]", cached)
	}
}
