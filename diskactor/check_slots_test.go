package diskactor

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/messages"
)

// checkGate holds the check jobs it selects before they read, and logs
// the order in which check jobs of every torrent start.
type checkGate struct {
	gate   chan struct{}
	once   sync.Once
	held   atomic.Int32
	closes atomic.Int32 // close jobs run
	hold   func(*checkJob) bool

	mu    sync.Mutex
	order []messages.InfoHash // check jobs, as they start
}

// newCheckGate makes a gate for hold; the test's cleanup opens it before
// the rig stops (workers must not stay blocked).
func newCheckGate(t *testing.T, hold func(*checkJob) bool) *checkGate {
	g := &checkGate{gate: make(chan struct{}), hold: hold}
	t.Cleanup(g.open)
	return g
}

func (g *checkGate) before(j any) {
	switch j := j.(type) {
	case *checkJob:
		g.mu.Lock()
		g.order = append(g.order, j.ih)
		g.mu.Unlock()
		if g.hold(j) {
			g.held.Add(1)
			<-g.gate
		}
	case *closeJob:
		g.closes.Add(1)
	}
}

func (g *checkGate) open() { g.once.Do(func() { close(g.gate) }) }

func (g *checkGate) started() []messages.InfoHash {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]messages.InfoHash(nil), g.order...)
}

// waitHeld makes round trips to the disk until n jobs are held.
func (g *checkGate) waitHeld(r *rig, n int32) {
	for g.held.Load() < n {
		r.status()
	}
}

// seeded is a payload already in place under its own save path.
type seeded struct {
	payload
	dir string
}

func seededPayload(t *testing.T, size, pieceLen, seed int64) seeded {
	src := t.TempDir()
	return seeded{payload: makePayload(t, src, "f.bin", size, pieceLen, seed), dir: src}
}

// With active_checking 1, a second torrent's check waits (and says so)
// until the first one has answered; then it runs.
func TestActiveCheckingQueuesSecondCheck(t *testing.T) {
	var a, b seeded
	g := newCheckGate(t, func(j *checkJob) bool { return j.ih == a.meta.InfoHash })
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2, "active_checking", 1), BeforeJob: g.before})
	a = seededPayload(t, 6<<20, 1<<20, 31)   // 6 pieces
	b = seededPayload(t, 3<<20+1, 1<<20, 32) // 4 pieces
	// A lacks its last piece: a complete torrent would first create its
	// empty files, answering after B started.
	must(t, os.Truncate(filepath.Join(a.dir, "f.bin"), 5<<20+1))
	// One owner for both: its messages keep the order the disk sent them.
	owner, rec := r.spawnRecorder()
	r.add(a.payload, a.dir, owner, nil, 0)
	r.add(b.payload, b.dir, owner, nil, 0)
	r.sys.Root.Send(r.disk, &messages.DiskCheck{InfoHash: a.meta.InfoHash})
	g.waitHeld(r, 1)
	r.sys.Root.Send(r.disk, &messages.DiskCheck{InfoHash: b.meta.InfoHash})
	rec.waitFor(t, "B queued", func(m any) bool {
		p, ok := m.(*messages.DiskCheckProgress)
		return ok && p.Queued && p.Total == 4
	})
	g.open()
	rec.waitN(t, "both replies", 2, isCheckReply)

	// Order at the owner: A's answer, then B starting, then B's answer.
	var seq []string
	for _, m := range rec.all(func(any) bool { return true }) {
		switch m := m.(type) {
		case *messages.DiskCheckReply:
			if len(m.Have) == 6 {
				seq = append(seq, "A done")
			} else {
				seq = append(seq, "B done")
			}
		case *messages.DiskCheckProgress:
			if m.Total == 4 && m.Checked == 0 && !m.Queued {
				seq = append(seq, "B starts")
			}
		}
	}
	if len(seq) != 3 || seq[0] != "A done" || seq[1] != "B starts" || seq[2] != "B done" {
		t.Fatalf("owner saw %v, want [A done, B starts, B done]", seq)
	}
	// And at the workers: every job of A before any of B.
	order := g.started()
	seenB := false
	for _, ih := range order {
		seenB = seenB || ih == b.meta.InfoHash
		if seenB && ih == a.meta.InfoHash {
			t.Fatalf("a check job of A ran after one of B: %x", order)
		}
	}
	for _, m := range rec.all(isCheckReply) {
		have := m.(*messages.DiskCheckReply).Have
		for p, ok := range have {
			if ok != (len(have) == 4 || p < 5) {
				t.Fatalf("reply %v: want A's first 5 pieces and all of B's", have)
			}
		}
	}
}

// A check supersedes the torrent's running one: the old check's jobs in
// flight finish behind the removal fence, their results are dropped, only
// the newer check answers, and it keeps the slot (a waiting torrent still
// waits).
func TestNewerCheckSupersedesRunning(t *testing.T) {
	var a, b seeded
	g := newCheckGate(t, func(j *checkJob) bool { return j.ih == a.meta.InfoHash && j.gen == 1 })
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 3, "active_checking", 1), BeforeJob: g.before})
	a = seededPayload(t, 6<<20, 1<<20, 33) // 2 chunks: both held
	b = seededPayload(t, 1<<20, 1<<20, 34)
	ownerA, recA := r.spawnRecorder()
	ownerB, recB := r.spawnRecorder()
	r.add(a.payload, a.dir, ownerA, nil, 0)
	r.add(b.payload, b.dir, ownerB, nil, 0)
	r.sys.Root.Send(r.disk, &messages.DiskCheck{InfoHash: a.meta.InfoHash})
	g.waitHeld(r, 2)
	r.sys.Root.Send(r.disk, &messages.DiskCheck{InfoHash: b.meta.InfoHash})
	recB.waitFor(t, "B queued", func(m any) bool { p, ok := m.(*messages.DiskCheckProgress); return ok && p.Queued })

	// The newer check verifies piece 0 only.
	n := a.meta.Info.NumPieces()
	verify := make([]bool, n)
	verify[0] = true
	rep := r.checkAndWait(&messages.DiskCheck{InfoHash: a.meta.InfoHash, Have: make([]bool, n), Verify: verify}, recA)
	want := make([]bool, n)
	want[0] = true
	sameHave(t, rep.Have, want)
	// Its answer freed the slot: B runs although A's old jobs are held.
	if rb := recB.waitN(t, "B's reply", 1, isCheckReply); len(rb[0].(*messages.DiskCheckReply).Have) != 1 {
		t.Fatalf("B's reply: %+v", rb[0])
	}

	// Removing A waits for the old jobs still held.
	f := r.sys.Root.RequestFuture(r.disk, &messages.DiskRemoveTorrent{InfoHash: a.meta.InfoHash}, 10e9)
	r.status()
	if g.closes.Load() != 0 {
		t.Fatal("the close job ran while jobs of a superseded check were still running")
	}
	g.open()
	if _, err := f.Result(); err != nil {
		t.Fatal(err)
	}
	if g.closes.Load() != 1 {
		t.Fatalf("%d close jobs ran, want 1", g.closes.Load())
	}
	if got := recA.all(isCheckReply); len(got) != 1 {
		t.Fatalf("A got %d check replies, want only the newer check's", len(got))
	}
}

// Removing a torrent whose check holds the slot hands the slot to the
// next torrent in line at once, while the removal itself waits for the
// jobs in flight.
func TestRemovalHandsCheckSlotOn(t *testing.T) {
	var a, b seeded
	g := newCheckGate(t, func(j *checkJob) bool { return j.ih == a.meta.InfoHash })
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2, "active_checking", 1), BeforeJob: g.before})
	a = seededPayload(t, 2<<20, 1<<20, 35)
	b = seededPayload(t, 2<<20, 1<<20, 36)
	ownerA, recA := r.spawnRecorder()
	ownerB, recB := r.spawnRecorder()
	r.add(a.payload, a.dir, ownerA, nil, 0)
	r.add(b.payload, b.dir, ownerB, nil, 0)
	r.sys.Root.Send(r.disk, &messages.DiskCheck{InfoHash: a.meta.InfoHash})
	g.waitHeld(r, 1)
	r.sys.Root.Send(r.disk, &messages.DiskCheck{InfoHash: b.meta.InfoHash})
	recB.waitFor(t, "B queued", func(m any) bool { p, ok := m.(*messages.DiskCheckProgress); return ok && p.Queued })
	f := r.sys.Root.RequestFuture(r.disk, &messages.DiskRemoveTorrent{InfoHash: a.meta.InfoHash}, 10e9)
	// B runs on the worker A's check does not hold.
	rep := recB.waitN(t, "B's reply", 1, isCheckReply)[0].(*messages.DiskCheckReply)
	sameHave(t, rep.Have, []bool{true, true})
	if g.closes.Load() != 0 {
		t.Fatal("A's files were closed under its running check job")
	}
	g.open()
	if _, err := f.Result(); err != nil {
		t.Fatal(err)
	}
	if got := recA.all(isCheckReply); len(got) != 0 {
		t.Fatalf("a removed torrent's check answered: %+v", got)
	}
}

// A negative active_checking means no bound: checks of several torrents
// read at the same time.
func TestActiveCheckingUnbounded(t *testing.T) {
	var held [2]metainfo.InfoHash
	g := newCheckGate(t, func(j *checkJob) bool { return j.ih == held[0] || j.ih == held[1] })
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2, "active_checking", -1), BeforeJob: g.before})
	a := seededPayload(t, 1<<20, 1<<20, 37)
	b := seededPayload(t, 1<<20, 1<<20, 38)
	held = [2]metainfo.InfoHash{a.meta.InfoHash, b.meta.InfoHash}
	owner, rec := r.spawnRecorder()
	r.add(a.payload, a.dir, owner, nil, 0)
	r.add(b.payload, b.dir, owner, nil, 0)
	r.sys.Root.Send(r.disk, &messages.DiskCheck{InfoHash: a.meta.InfoHash})
	r.sys.Root.Send(r.disk, &messages.DiskCheck{InfoHash: b.meta.InfoHash})
	g.waitHeld(r, 2) // both running at once
	g.open()
	rec.waitN(t, "both replies", 2, isCheckReply)
	for _, m := range rec.all(isProgress) {
		if m.(*messages.DiskCheckProgress).Queued {
			t.Fatal("a check was queued with active_checking < 0")
		}
	}
}
