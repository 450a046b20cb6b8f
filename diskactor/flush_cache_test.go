package diskactor

import (
	"bytes"
	"sync/atomic"
	"testing"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
)

// DiskReleaseFiles with FlushCache writes every cached block of the
// torrent's incomplete pieces before it answers: the ones a flush could
// take at once, and those an incremental hash was reading when it came
// (written once the hash is done, before the release).
func TestReleaseFilesFlushesTheCache(t *testing.T) {
	gate := make(chan struct{})
	var hashing atomic.Int32
	before := func(j any) {
		if _, ok := j.(*hashJob); ok {
			hashing.Add(1)
			<-gate
		}
	}
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2), BeforeJob: before})
	pl := makePayload(t, t.TempDir(), "f.bin", 1<<20, 512<<10, 7) // 2 pieces of 32 blocks
	dst := t.TempDir()
	owner, _ := r.spawnRecorder()
	r.add(pl, dst, owner, nil, 0)
	blocks := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20} // a run an incremental hash takes, and one past a gap
	for _, b := range blocks {
		r.writeBlock(pl, 0, b, false)
	}
	for hashing.Load() < 1 {
		r.status() // each round trip lets the disk dispatch
	}
	f := r.sys.Root.RequestFuture(r.disk, &messages.DiskReleaseFiles{InfoHash: pl.meta.InfoHash, FlushCache: true}, waitLimit)
	r.status() // the request is in while the hash holds its blocks
	close(gate)
	res, err := f.Result()
	if err != nil {
		t.Fatal(err)
	}
	if rep := res.(*messages.DiskReleaseFilesReply); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if n := r.cacheInfo(&messages.DiskCacheInfo{NoPieces: true}).WriteCacheSize; n != 0 {
		t.Fatalf("%d blocks still in the write cache after the flush", n)
	}
	for _, b := range blocks {
		off := int64(b) * bufpool.BlockSize
		if !bytes.Equal(fileRange(t, dst, pl, off, bufpool.BlockSize), pl.data[off:off+bufpool.BlockSize]) {
			t.Errorf("block %d is not in the file", b)
		}
	}
}
