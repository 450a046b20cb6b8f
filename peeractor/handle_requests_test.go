package peeractor

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
)

// scriptedRemote is the far end of a feedRig that unchokes the peer once
// it is interested and keeps its requests until the test answers them.
type scriptedRemote struct {
	r       *feedRig
	mu      sync.Mutex
	pending []wire.Message
	seen    int // requests received in all
}

func (r *feedRig) scripted() *scriptedRemote {
	s := &scriptedRemote{r: r}
	go func() {
		rd := wire.NewReader(r.remote)
		for {
			m, err := rd.ReadMessage()
			if err != nil {
				return
			}
			if !m.KeepAlive && m.ID == wire.Interested {
				if _, err := r.remote.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Unchoke})); err != nil {
					return
				}
			}
			if !m.KeepAlive && m.ID == wire.Request {
				s.mu.Lock()
				s.pending = append(s.pending, m)
				s.seen++
				s.mu.Unlock()
			}
		}
	}()
	return s
}

// answer sends the blocks of the first n pending requests.
func (s *scriptedRemote) answer(t *testing.T, n int) {
	t.Helper()
	s.mu.Lock()
	n = min(n, len(s.pending))
	reqs := s.pending[:n]
	s.pending = s.pending[n:]
	s.mu.Unlock()
	block := make([]byte, wire.BlockSize)
	for _, m := range reqs {
		if _, err := s.r.remote.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Piece, Index: m.Index, Begin: m.Begin, Block: block[:m.Length]})); err != nil {
			t.Fatal(err)
		}
	}
}

func (s *scriptedRemote) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen
}

// lastStats is the last PeerStats the peer reported.
func (r *feedRig) lastStats() *messages.PeerStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.stats) == 0 {
		return nil
	}
	return r.stats[len(r.stats)-1]
}

// A peer that leaves our requests unanswered for piece_timeout is snubbed
// (peer_snubbed, PeerStats.Snubbed, one request a second handed back); a
// block within its request timeout unsnubs it (peer_unsnubbed) and its
// pipeline grows again.
func TestSnubAndUnsnub(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startFeedRig(t, map[string]any{"alert_mask": int(messages.CategoryPeer)}, actors.NewCredit(1<<20), 0)
		remote := r.scripted()
		r.give(4)
		time.Sleep(20 * time.Second)
		synctest.Wait()
		if n := len(r.alertsOf("peer_snubbed")); n != 0 || remote.requests() != 4 {
			t.Fatalf("before piece_timeout: %d peer_snubbed, %d requests (want 0, 4)", n, remote.requests())
		}
		if st := r.lastStats(); st == nil || st.Snubbed {
			t.Fatalf("stats before piece_timeout: %+v", st)
		}
		time.Sleep(1500 * time.Millisecond)
		synctest.Wait()
		if n := len(r.alertsOf("peer_snubbed")); n != 1 {
			t.Fatalf("%d peer_snubbed after piece_timeout, want 1", n)
		}
		if st := r.lastStats(); !st.Snubbed {
			t.Fatal("PeerStats.Snubbed false for a snubbed peer")
		}
		r.mu.Lock()
		cancelled := len(r.cancelled)
		r.mu.Unlock()
		if cancelled != 1 {
			t.Fatalf("%d requests handed back on the snub, want 1", cancelled)
		}

		r.give(100)
		remote.answer(t, 3) // the three still awaited, within the 60 s request timeout
		synctest.Wait()
		if n := len(r.alertsOf("peer_unsnubbed")); n != 1 {
			t.Fatalf("%d peer_unsnubbed after blocks in time, want 1", n)
		}
		// Answer everything for a few seconds: the pipeline grows past one.
		for range 30 {
			time.Sleep(100 * time.Millisecond)
			remote.answer(t, 100)
		}
		synctest.Wait()
		if st := r.lastStats(); st.Snubbed {
			t.Fatal("PeerStats.Snubbed still true")
		}
		if n := len(r.alertsOf("peer_snubbed")); n != 1 {
			t.Fatalf("%d peer_snubbed in all, want 1", n)
		}
		if got := remote.requests(); got < 4+20 {
			t.Fatalf("%d requests after the unsnub, want the pipeline to grow", got)
		}
	})
}

// The defaults' alert mask has no peer category: the snub happens (the
// torrent is told) without an alert.
func TestSnubWithoutAlerts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startFeedRig(t, defaultMask, actors.NewCredit(1<<20), 0)
		r.scripted()
		r.give(4)
		time.Sleep(22 * time.Second)
		synctest.Wait()
		if st := r.lastStats(); st == nil || !st.Snubbed {
			t.Fatalf("stats %+v, want snubbed", st)
		}
		r.mu.Lock()
		n := len(r.alerts)
		r.mu.Unlock()
		if n != 0 {
			t.Fatalf("%d alerts under the default mask", n)
		}
	})
}

// While our disk holds the write credit the reader does not read, so the
// blocks the peer sent wait in the socket: that never snubs the peer or
// times out its requests.
func TestOurStallIsNotTheSnub(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startFeedRig(t, allMask, actors.NewCredit(2*wire.BlockSize), 2) // the disk sits on the only 2 blocks of credit
		r.give(8)
		go r.serve(true)
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		r.mu.Lock()
		writes, cancelled := len(r.writes), len(r.cancelled)
		r.mu.Unlock()
		if writes != 2 {
			t.Fatalf("%d blocks written, want the 2 the credit allows", writes)
		}
		if n := len(r.alertsOf("peer_snubbed")) + len(r.alertsOf("block_timeout")); n != 0 || cancelled != 0 {
			t.Fatalf("%d snub/timeout alerts and %d requests handed back while we stalled", n, cancelled)
		}
	})
}

// The "reqq" of the peer's extension handshake caps our requests to it;
// max_out_request_queue caps them for every peer.
func TestRequestQueueCaps(t *testing.T) {
	for _, c := range []struct {
		name   string
		values map[string]any
		reqq   int
		want   int
	}{
		{"slow start begins at 4", nil, 0, 4},
		{"reqq 3", nil, 3, 3},
		{"reqq above the setting", nil, 1000, 4},
		{"max_out_request_queue 2", map[string]any{"max_out_request_queue": 2}, 0, 2},
		{"reqq 1 below the floor", nil, 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := startFeedRig(t, c.values, actors.NewCredit(1<<20), 0)
				if c.reqq > 0 {
					payload := metadata.AppendExtHandshake(nil, metadata.ExtHandshake{Reqq: c.reqq})
					if _, err := r.remote.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Extended, ExtendedID: metadata.HandshakeID, Payload: payload})); err != nil {
						t.Fatal(err)
					}
				}
				remote := r.scripted()
				r.give(100)
				time.Sleep(10 * time.Second) // ticks ask again: the cap holds
				synctest.Wait()
				if got := remote.requests(); got != c.want {
					t.Fatalf("%d requests outstanding, want %d", got, c.want)
				}
			})
		})
	}
}

// A timed-out block the torrent hands the same peer again is not asked a
// second time (the first request is still at the peer, which might send
// the block twice): when it comes it is the requested block, written once.
func TestTimedOutBlockGivenBackToTheSamePeer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startFeedRig(t, allMask, actors.NewCredit(1<<20), 0)
		remote := r.scripted()
		r.give(4)
		time.Sleep(21500 * time.Millisecond) // snubbed: block 3 handed back
		synctest.Wait()
		r.mu.Lock()
		back := append([]messages.Block(nil), r.cancelled...)
		r.again = back
		r.mu.Unlock()
		if len(back) != 1 || back[0].Begin != 3*wire.BlockSize {
			t.Fatalf("handed back %v, want block 3", back)
		}
		remote.answer(t, 3) // blocks 0-2: the peer asks again and gets block 3
		synctest.Wait()
		if n := remote.requests(); n != 4 {
			t.Fatalf("%d requests, want 4: block 3 asked twice", n)
		}
		remote.answer(t, 1) // the first request's answer
		synctest.Wait()
		r.mu.Lock()
		writes := len(r.writes)
		r.mu.Unlock()
		if writes != 4 {
			t.Fatalf("%d blocks written, want 4", writes)
		}
		if n := len(r.alertsOf("unwanted_block")) + len(r.alertsOf("peer_error")); n != 0 {
			t.Fatalf("%d unwanted_block/peer_error alerts", n)
		}
	})
}
