package peeractor

import (
	"net"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// feedRig is a peer actor downloading from a scripted remote over a
// net.Pipe, with stubs for its torrent (which hands out blocks in order,
// up to a budget), its disk and the session's alert actor, all recording
// what they get. It runs inside a synctest bubble.
type feedRig struct {
	t      *testing.T
	remote net.Conn
	sys    *actor.ActorSystem
	parent *actor.PID
	info   *metainfo.Info

	mu        sync.Mutex
	budget    int              // blocks the torrent still hands out
	again     []messages.Block // handed out first, outside the budget
	next      int              // the next block to hand out, in torrent order
	cancelled []messages.Block
	stats     []*messages.PeerStats
	writes    []*messages.DiskWrite
	alerts    []messages.Alert
	// hold: the disk keeps the credit of the first hold blocks (they
	// are "not written yet"); the others it gives back at once.
	hold int
}

// rigPieces × rigPieceLength is the torrent: 1024 blocks of 16 KiB.
const (
	rigPieces      = 64
	rigPieceLength = 256 << 10
)

func startFeedRig(t *testing.T, values map[string]any, credit *actors.Credit, hold int) *feedRig {
	t.Helper()
	local, remote := net.Pipe()
	r := &feedRig{t: t, remote: remote, sys: actors.NewSystem(nil), hold: hold,
		info: &metainfo.Info{Name: "x", PieceLength: rigPieceLength, Pieces: make([][20]byte, rigPieces), TotalLength: rigPieces * rigPieceLength}}
	root := r.sys.Root
	alerts := root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if m, ok := c.Message().(*messages.PostAlert); ok {
			r.mu.Lock()
			r.alerts = append(r.alerts, m.Alert)
			r.mu.Unlock()
		}
	}))
	disk := root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if m, ok := c.Message().(*messages.DiskWrite); ok {
			r.mu.Lock()
			r.writes = append(r.writes, m)
			keep := len(r.writes) <= r.hold
			r.mu.Unlock()
			if !keep {
				credit.Release(int64(len(m.Data)))
			}
			bufpool.Put(m.Data)
			if m.Cached != nil {
				c.Send(m.AlertTo, m.Cached) // as the disk does once it cached the block
			}
		}
	}))
	var ours, theirs [20]byte
	copy(ours[:], "-TT0000-ours--------")
	copy(theirs[:], "-TT0000-theirs------")
	hs := wire.Handshake{PeerID: theirs}
	cfg := Config{
		Key: 1, PeerID: ours, Info: r.info, Have: bitfield.New(rigPieces), Credit: credit,
		Disk: disk, Alerts: alerts, Conn: local, Handshake: &hs, Settings: settingsWith(t, values),
	}
	var peer *actor.PID // the parent's own: its messages come by Send, without a sender
	r.parent = root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *actor.Started:
			peer = c.Spawn(New(cfg))
		case *messages.PeerConnected:
			c.Send(peer, &messages.SetInterested{Interested: true})
		case *messages.RequestBlocks:
			c.Send(peer, &messages.BlocksAssigned{Blocks: r.assign(m.Max)})
		case *messages.BlocksCancelled:
			r.mu.Lock()
			r.cancelled = append(r.cancelled, m.Blocks...)
			r.mu.Unlock()
		case *messages.PeerStats:
			r.mu.Lock()
			r.stats = append(r.stats, m)
			r.mu.Unlock()
		}
	}))
	if _, err := wire.ReadHandshake(remote); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		remote.Close()
		_ = root.StopFuture(r.parent).Wait()
		r.sys.Shutdown()
		time.Sleep(r.sys.Config.DeadLetterThrottleInterval + time.Second)
	})
	return r
}

// assign hands out up to max blocks in torrent order, within the budget.
func (r *feedRig) assign(max int) []messages.Block {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := min(max, len(r.again))
	out := append([]messages.Block(nil), r.again[:n]...)
	r.again, max = r.again[n:], max-n
	for ; max > 0 && r.budget > 0; max-- {
		perPiece := rigPieceLength / wire.BlockSize
		out = append(out, messages.Block{Piece: r.next / perPiece, Begin: r.next % perPiece * wire.BlockSize, Length: wire.BlockSize})
		r.next++
		r.budget--
	}
	return out
}

// give adds n blocks to the torrent's budget (the peer asks for them on
// its next request or tick).
func (r *feedRig) give(n int) {
	r.mu.Lock()
	r.budget += n
	r.mu.Unlock()
}

// serve unchokes the peer once it is interested and, when answer is set, answers every request
// with its block; it returns when the pipe closes.
func (r *feedRig) serve(answer bool) {
	block := make([]byte, wire.BlockSize)
	rd := wire.NewReader(r.remote)
	for {
		m, err := rd.ReadMessage()
		if err != nil {
			return
		}
		if !m.KeepAlive && m.ID == wire.Interested {
			// The peer asks for blocks when unchoked while interested.
			if _, err := r.remote.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Unchoke})); err != nil {
				return
			}
		}
		if !answer || m.KeepAlive || m.ID != wire.Request {
			continue
		}
		out := wire.AppendMessage(nil, wire.Message{ID: wire.Piece, Index: m.Index, Begin: m.Begin, Block: block[:m.Length]})
		if _, err := r.remote.Write(out); err != nil {
			return
		}
	}
}

// alertsOf returns the recorded alerts of what's type.
func (r *feedRig) alertsOf(what string) []messages.Alert {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []messages.Alert
	for _, a := range r.alerts {
		if a.What() == what {
			out = append(out, a)
		}
	}
	return out
}

func (r *feedRig) performance(w messages.PerformanceWarning) int {
	n := 0
	for _, a := range r.alertsOf("performance") {
		if a.(*messages.PerformanceAlert).WarningCode == w {
			n++
		}
	}
	return n
}

var (
	defaultMask = map[string]any{} // alert_mask: errors only
	allMask     = map[string]any{"alert_mask": int(messages.CategoryAll)}
)

// A block requested and received makes block_downloading (from the peer)
// and block_finished (handed to the disk, which posts it once cached),
// each naming the peer and the block; under the default mask the peer
// builds neither: no alert message and no alert riding on the write.
func TestBlockAlertsOnlyWhenTheMaskWantsThem(t *testing.T) {
	for _, c := range []struct {
		name string
		mask map[string]any
		want bool
	}{{"default mask", defaultMask, false}, {"all categories", allMask, true}, {"block progress", map[string]any{"alert_mask": int(messages.CategoryBlockProgress)}, true}, {"progress", map[string]any{"alert_mask": int(messages.CategoryProgress)}, false}} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := startFeedRig(t, c.mask, actors.NewCredit(1<<20), 0)
				r.give(20) // more than a piece: block indexes restart at 0
				go r.serve(true)
				synctest.Wait()
				r.mu.Lock()
				writes, posted := len(r.writes), len(r.alerts)
				r.mu.Unlock()
				if writes != 20 {
					t.Fatalf("%d blocks written, want 20", writes)
				}
				if !c.want {
					if posted != 0 {
						t.Fatalf("%d alerts posted under the default mask", posted)
					}
					for _, w := range r.writes {
						if w.Cached != nil {
							t.Fatal("a block_finished alert was built under the default mask")
						}
					}
					return
				}
				for _, what := range []string{"block_downloading", "block_finished"} {
					got := r.alertsOf(what)
					if len(got) != 20 {
						t.Fatalf("%d %s alerts, want 20", len(got), what)
					}
					for i, a := range got {
						var h messages.PeerAlertHeader
						var piece, block int
						switch a := a.(type) {
						case *messages.BlockDownloadingAlert:
							h, piece, block = a.PeerAlertHeader, a.PieceIndex, a.BlockIndex
						case *messages.BlockFinishedAlert:
							h, piece, block = a.PeerAlertHeader, a.PieceIndex, a.BlockIndex
						}
						if piece != i/16 || block != i%16 {
							t.Errorf("%s %d: piece %d block %d, want %d %d", what, i, piece, block, i/16, i%16)
						}
						if h.PeerID != [20]byte([]byte("-TT0000-theirs------")) || h.Endpoint == "" {
							t.Errorf("%s names peer %q at %q", what, h.PeerID, h.Endpoint)
						}
					}
				}
			})
		})
	}
}

// Requests left unanswered past piece_timeout (20 s) snub the peer and go
// back to the torrent one a second, the last sent first, each with a
// block_timeout alert (progress and peer) when the mask wants them.
func TestBlockTimeoutAlerts(t *testing.T) {
	for _, c := range []struct {
		name string
		mask map[string]any
		want int
	}{{"default mask", defaultMask, 0}, {"all categories", allMask, 4}, {"peer", map[string]any{"alert_mask": int(messages.CategoryPeer)}, 4}} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := startFeedRig(t, c.mask, actors.NewCredit(1<<20), 0)
				r.give(4)
				go r.serve(false)
				time.Sleep(20 * time.Second)
				synctest.Wait()
				if n := len(r.alertsOf("block_timeout")); n != 0 {
					t.Fatalf("%d block_timeout before piece_timeout", n)
				}
				time.Sleep(6 * time.Second)
				synctest.Wait()
				r.mu.Lock()
				cancelled := append([]messages.Block(nil), r.cancelled...)
				r.mu.Unlock()
				if len(cancelled) != 4 {
					t.Fatalf("%d blocks given back, want 4", len(cancelled))
				}
				for i, b := range cancelled {
					if b.Piece != 0 || b.Begin != (3-i)*wire.BlockSize {
						t.Fatalf("given back in the order %v, want the last sent first", cancelled)
					}
				}
				got := r.alertsOf("block_timeout")
				if len(got) != c.want {
					t.Fatalf("%d block_timeout alerts, want %d", len(got), c.want)
				}
				for i, a := range got {
					if bt := a.(*messages.BlockTimeoutAlert); bt.PieceIndex != 0 || bt.BlockIndex != 3-i {
						t.Errorf("block_timeout %d: piece %d block %d", i, bt.PieceIndex, bt.BlockIndex)
					}
				}
			})
		})
	}
}

// A peer whose rate asks for a deeper pipeline than the cap posts
// outstanding_request_limit_reached at its tick, once a second while it
// lasts (as libtorrent's second tick); a slow one does not.
func TestOutstandingRequestLimitWarning(t *testing.T) {
	perf := map[string]any{"alert_mask": int(messages.CategoryPerformance)}
	for _, c := range []struct {
		name   string
		mask   map[string]any
		blocks int
		want   bool
	}{
		{"fast peer", perf, 1000, true}, // 16 MiB in the first second
		{"slow peer", perf, 40, false},  // 640 KiB: 64 blocks of pipeline will do
		{"default mask", defaultMask, 1000, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := startFeedRig(t, c.mask, actors.NewCredit(1<<30), 0)
				r.give(c.blocks)
				go r.serve(true)
				synctest.Wait()
				if n := r.performance(messages.OutstandingRequestLimitReached); n != 0 {
					t.Fatalf("%d warnings before the first tick", n)
				}
				time.Sleep(tickInterval + time.Second/2)
				synctest.Wait()
				n := r.performance(messages.OutstandingRequestLimitReached)
				if c.want != (n == 1) || n > 1 {
					t.Fatalf("%d outstanding_request_limit_reached after one tick, want it: %v", n, c.want)
				}
			})
		})
	}
}

// While the disk holds the write credit (max_queued_disk_bytes) the peers
// warn outstanding_disk_buffer_limit_reached, and while the queue holds
// more than half of cache_size, too_high_disk_queue_limit: each at most
// once in 10 s however many blocks arrive meanwhile.
func TestDiskQueueWarnings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		values := map[string]any{"alert_mask": int(messages.CategoryPerformance), "cache_size": 6, "max_queued_disk_bytes": 5 * wire.BlockSize}
		credit := actors.NewCredit(5 * wire.BlockSize)
		r := startFeedRig(t, values, credit, 4) // the disk sits on 4 blocks: 1 of credit left
		r.give(100)
		go r.serve(true)
		synctest.Wait()
		full, high := r.performance(messages.OutstandingDiskBufferLimitReached), r.performance(messages.TooHighDiskQueueLimit)
		if full != 1 || high != 1 {
			t.Fatalf("after 100 blocks: %d disk-buffer and %d disk-queue warnings, want 1 each", full, high)
		}
		time.Sleep(11 * time.Second)
		r.give(100)
		time.Sleep(tickInterval) // the peer asks at its tick
		synctest.Wait()
		full, high = r.performance(messages.OutstandingDiskBufferLimitReached), r.performance(messages.TooHighDiskQueueLimit)
		if full != 2 || high != 2 {
			t.Fatalf("10 s later: %d disk-buffer and %d disk-queue warnings in all, want 2 each", full, high)
		}
	})
}
