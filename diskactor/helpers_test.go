package diskactor

import (
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// recorder is an actor that keeps every message it receives; tests use it
// as a torrent (the disk's Owner) or as a peer (a DiskRead's ReplyTo).
type recorder struct {
	mu   sync.Mutex
	msgs []any
	more chan struct{} // closed (and replaced) when a message is recorded
}

func (r *recorder) Receive(c actor.Context) {
	switch c.Message().(type) {
	case actor.SystemMessage, actor.AutoReceiveMessage:
		return
	}
	r.mu.Lock()
	r.msgs = append(r.msgs, c.Message())
	if r.more != nil {
		close(r.more)
		r.more = nil
	}
	r.mu.Unlock()
}

// waitLimit bounds a wait for an event: only a hung test meets it, however
// busy the machine.
const waitLimit = time.Minute

// waitFor waits until a recorded message satisfies ok (checked each time
// one arrives, with mu held), or fails the test.
func (r *recorder) waitFor(t *testing.T, what string, ok func(any) bool) any {
	t.Helper()
	limit := time.NewTimer(waitLimit)
	defer limit.Stop()
	for {
		r.mu.Lock()
		for _, m := range r.msgs {
			if ok(m) {
				r.mu.Unlock()
				return m
			}
		}
		n := len(r.msgs)
		if r.more == nil {
			r.more = make(chan struct{})
		}
		more := r.more
		r.mu.Unlock()
		select {
		case <-more:
		case <-limit.C:
			t.Fatalf("timed out waiting for %s (%d messages recorded)", what, n)
		}
	}
}

// hashed waits for the PieceHashed of piece.
func (r *recorder) hashed(t *testing.T, piece int) *messages.PieceHashed {
	t.Helper()
	return r.waitFor(t, "PieceHashed", func(m any) bool {
		h, ok := m.(*messages.PieceHashed)
		return ok && h.Piece == piece
	}).(*messages.PieceHashed)
}

// countingCredit is a CreditReleaser that counts what the disk gives back.
type countingCredit struct{ released atomic.Int64 }

func (c *countingCredit) Release(n int64) { c.released.Add(n) }

// rig is one disk actor in its own actor system; probe records what the
// disk actor has handled.
type rig struct {
	t     *testing.T
	sys   *actor.ActorSystem
	disk  *actor.PID
	probe *actors.Probe
}

func newRig(t *testing.T, cfg Config) *rig {
	t.Helper()
	sys := actors.NewSystem(nil)
	probe := &actors.Probe{}
	r := &rig{t: t, sys: sys, probe: probe,
		disk: sys.Root.Spawn(New(cfg).Configure(actor.WithReceiverMiddleware(probe.Middleware())))}
	t.Cleanup(func() {
		_ = sys.Root.StopFuture(r.disk).Wait()
		sys.Shutdown()
	})
	return r
}

func (r *rig) spawnRecorder() (*actor.PID, *recorder) {
	rec := &recorder{}
	return r.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return rec })), rec
}

func (r *rig) request(msg any) any {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	v, err := actors.Request(ctx, r.sys.Root, r.disk, msg)
	if err != nil {
		r.t.Fatalf("request %T: %v", msg, err)
	}
	return v
}

// finished waits until the disk actor has applied the results of n jobs
// satisfying ok: its gauges and caches count them as done. A worker can
// answer a peer before that (a read replies as soon as the requested
// block is in, then reads ahead), so a reply is not this event.
func (r *rig) finished(what string, n int, ok func(job) bool) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.t.Context(), waitLimit)
	defer cancel()
	if _, err := r.probe.Wait(ctx, n, func(m any) bool {
		d, isDone := m.(*jobDone)
		return isDone && ok(d.job)
	}); err != nil {
		r.t.Fatalf("waiting for %s to finish: %v", what, err)
	}
}

func (r *rig) status() *messages.DiskStatusReply {
	return r.request(&messages.DiskStatus{}).(*messages.DiskStatusReply)
}

// payload is a single-file torrent and its data.
type payload struct {
	meta *metainfo.MetaInfo
	data []byte
}

// makePayload writes size random bytes to src/name and makes its torrent.
func makePayload(t *testing.T, src, name string, size, pieceLen int64, seed int64) payload {
	t.Helper()
	data := make([]byte, size)
	rand.New(rand.NewSource(seed)).Read(data)
	p := filepath.Join(src, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Create(p, metainfo.CreateOptions{PieceLength: pieceLen})
	if err != nil {
		t.Fatal(err)
	}
	return payload{meta: mi, data: data}
}

// add registers the payload's torrent with the disk, saving under dir.
func (r *rig) add(pl payload, dir string, owner *actor.PID, credit messages.CreditReleaser, limit int64) {
	r.sys.Root.Send(r.disk, &messages.DiskAddTorrent{
		InfoHash: pl.meta.InfoHash, Info: &pl.meta.Info, SavePath: dir, Owner: owner,
		Credit: credit, CreditLimit: limit,
	})
}

// writeBlock sends block i of piece (copied into a pooled buffer), with
// corrupt flipping its first byte.
func (r *rig) writeBlock(pl payload, piece, block int, corrupt bool) {
	off := pl.meta.Info.PieceOffset(piece) + int64(block)*bufpool.BlockSize
	end := min(off+bufpool.BlockSize, pl.meta.Info.PieceOffset(piece)+pl.meta.Info.PieceSize(piece))
	buf := bufpool.Get(int(end - off))
	copy(buf, pl.data[off:end])
	if corrupt {
		buf[0] ^= 0xff
	}
	r.sys.Root.Send(r.disk, &messages.DiskWrite{InfoHash: pl.meta.InfoHash, Piece: piece, Begin: block * bufpool.BlockSize, Data: buf})
}

func numBlocks(pl payload, piece int) int {
	return int((pl.meta.Info.PieceSize(piece) + bufpool.BlockSize - 1) / bufpool.BlockSize)
}

// fileRange reads back [off, off+n) of the single file saved under dir.
func fileRange(t *testing.T, dir string, pl payload, off, n int64) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, pl.meta.Info.Files[0].Path))
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(b)) < off+n {
		t.Fatalf("file has %d bytes, want at least %d", len(b), off+n)
	}
	return b[off : off+n]
}

// withSettings is the default settings with name, value pairs applied.
func withSettings(kv ...any) *settings.Snapshot {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	s, err := settings.Default().With(m)
	if err != nil {
		panic(err)
	}
	return s
}
