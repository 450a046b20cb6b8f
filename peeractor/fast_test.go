package peeractor

import (
	"errors"
	"maps"
	"net"
	"slices"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// fastRig is one peer on a net.Pipe (the remote at fastRemoteIP) with a
// torrent stub that records what the peer tells it and hands out the
// blocks the test gives it, and a disk stub that answers reads only when
// the test says so. It runs inside a synctest bubble: synctest.Wait lets
// everything settle, so "nothing happened" is checkable.
type fastRig struct {
	t        *testing.T
	remote   net.Conn
	in       <-chan wire.Message
	sys      *actor.ActorSystem
	parent   *actor.PID
	peer     *actor.PID
	counters *stats.Counters
	info     *metainfo.Info

	mu     sync.Mutex
	told   []any                // what the peer sent its torrent
	assign []messages.Block     // handed out on the next RequestBlocks
	reads  []*messages.DiskRead // waiting for release
	disk   *actor.PID
}

const (
	fastPieces   = 8
	fastPieceLen = 32 << 10 // two blocks
	fastRemoteIP = "10.1.2.3"
	fastSetSize  = 3
)

func startFastRig(t *testing.T, remoteFast bool, have []int) *fastRig {
	t.Helper()
	return startFastRigWith(t, remoteFast, have, nil)
}

// startFastRigWith is startFastRig with more settings (set) for the peer.
func startFastRigWith(t *testing.T, remoteFast bool, have []int, set map[string]any) *fastRig {
	t.Helper()
	values := map[string]any{"allowed_fast_set_size": fastSetSize, "suggest_mode": 1}
	maps.Copy(values, set)
	local, remote := net.Pipe()
	r := &fastRig{t: t, remote: remote, sys: actors.NewSystem(nil), counters: stats.NewCounters(),
		info: &metainfo.Info{Name: "x", PieceLength: fastPieceLen, Pieces: make([][20]byte, fastPieces), TotalLength: fastPieces * fastPieceLen}}
	root := r.sys.Root
	r.disk = root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *messages.DiskRead:
			r.mu.Lock()
			r.reads = append(r.reads, m)
			r.mu.Unlock()
		case *messages.DiskWrite:
			bufpool.Put(m.Data)
		}
	}))
	ours := bitfield.New(fastPieces)
	for _, p := range have {
		ours.Set(p)
	}
	var theirs [20]byte
	copy(theirs[:], "-TT0000-theirs------")
	hs := wire.Handshake{PeerID: theirs}
	if remoteFast {
		hs.Reserved[wire.ReservedFastByte] |= wire.ReservedFastBit
	}
	cfg := Config{
		Key: 1, Info: r.info, Have: ours, Credit: actors.NewCredit(1 << 20), Disk: r.disk, Counters: r.counters,
		Conn: addrConn{local, tcpAddr(fastRemoteIP)}, Handshake: &hs,
		Settings: settingsWith(t, values),
	}
	copy(cfg.PeerID[:], "-TT0000-ours--------")
	r.parent = root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *actor.Started:
			r.peer = c.Spawn(New(cfg))
		case *messages.SetChoke, *messages.SetInterested, *messages.SuggestPiece:
			c.Send(r.peer, m)
		case *messages.RequestBlocks:
			r.mu.Lock()
			r.told = append(r.told, m)
			blocks := r.assign
			r.assign = nil
			r.mu.Unlock()
			c.Send(r.peer, &messages.BlocksAssigned{Blocks: blocks})
		case *messages.PeerBitfield, *messages.BlocksCancelled, *messages.PeerClosed, *messages.PeerConnected, *messages.PieceRead:
			r.mu.Lock()
			r.told = append(r.told, m)
			r.mu.Unlock()
		}
	}))
	got, in := remoteSide(t, r.sys, r.parent, remote, 256)
	if !got.SupportsFast() {
		t.Fatal("our handshake lacks the fast bit")
	}
	r.in = in
	return r
}

// send writes messages as the remote.
func (r *fastRig) send(ms ...wire.Message) {
	r.t.Helper()
	var b []byte
	for _, m := range ms {
		b = wire.AppendMessage(b, m)
	}
	if _, err := r.remote.Write(b); err != nil {
		r.t.Fatal(err)
	}
}

// received is everything the peer sent so far, once all is settled.
func (r *fastRig) received() []wire.Message {
	synctest.Wait()
	var out []wire.Message
	for {
		select {
		case m, ok := <-r.in:
			if !ok {
				return out
			}
			if !m.KeepAlive {
				out = append(out, m)
			}
		default:
			return out
		}
	}
}

// toTorrent is what the peer told its torrent so far, once all is settled.
func (r *fastRig) toTorrent() []any {
	synctest.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.told)
}

// serveReads answers the disk reads waiting so far.
func (r *fastRig) serveReads() {
	synctest.Wait()
	r.mu.Lock()
	reads := r.reads
	r.reads = nil
	r.mu.Unlock()
	for _, m := range reads {
		buf := bufpool.Get(m.Length)[:m.Length]
		r.sys.Root.Send(m.ReplyTo, &messages.DiskReadReply{Piece: m.Piece, Begin: m.Begin, Data: buf})
	}
}

func ids(ms []wire.Message) []wire.MessageID {
	out := make([]wire.MessageID, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func blk(piece, n int) messages.Block {
	return messages.Block{Piece: piece, Begin: n * wire.BlockSize, Length: wire.BlockSize}
}

func request(b messages.Block) wire.Message {
	return wire.Message{ID: wire.Request, Index: uint32(b.Piece), Begin: uint32(b.Begin), Length: uint32(b.Length)}
}

func allPieces() []int {
	out := make([]int, fastPieces)
	for i := range out {
		out[i] = i
	}
	return out
}

// TestFastOpeningMessage: with the fast extension, have_all and have_none
// replace the bitfield when they say it (as libtorrent sends them).
func TestFastOpeningMessage(t *testing.T) {
	tests := []struct {
		name    string
		fast    bool
		have    []int
		want    []wire.MessageID
		counter stats.Index
	}{
		{"fast, nothing", true, nil, []wire.MessageID{wire.HaveNone}, stats.SesNumOutgoingHaveNone},
		{"fast, some", true, []int{1, 2}, []wire.MessageID{wire.BitfieldMsg}, stats.SesNumOutgoingBitfield},
		{"fast, all", true, allPieces(), []wire.MessageID{wire.HaveAll}, stats.SesNumOutgoingHaveAll},
		{"plain, all", false, allPieces(), []wire.MessageID{wire.BitfieldMsg}, stats.SesNumOutgoingBitfield},
		{"plain, nothing", false, nil, nil, stats.SesNumOutgoingBitfield},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := startFastRig(t, tt.fast, tt.have)
				if got := ids(r.received()); !slices.Equal(got, tt.want) {
					t.Fatalf("sent %v, want %v", got, tt.want)
				}
				if got := r.counters.Get(tt.counter); got != int64(len(tt.want)) {
					t.Fatalf("counter %d = %d", tt.counter, got)
				}
			})
		})
	}
}

// TestFastMessagesNeedTheExtension: each fast message from a peer that did
// not set the bit ends the connection as a protocol error.
func TestFastMessagesNeedTheExtension(t *testing.T) {
	for _, id := range []wire.MessageID{wire.Suggest, wire.HaveAll, wire.HaveNone, wire.Reject, wire.AllowedFast} {
		t.Run(id.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := startFastRig(t, false, nil)
				r.send(wire.Message{ID: id, Length: wire.BlockSize})
				var closed *messages.PeerClosed
				for _, m := range r.toTorrent() {
					if c, ok := m.(*messages.PeerClosed); ok {
						closed = c
					}
				}
				if closed == nil || !closed.Protocol || !errors.Is(closed.Err, ErrFastNotNegotiated) {
					t.Fatalf("closed = %+v, want a protocol error", closed)
				}
			})
		})
	}
}

// TestHaveAllHaveNone: the remote's have_all makes it a seed; its have_none
// an empty bitfield, and then (fewer pieces than allowed_fast_set_size) it
// gets its allowed-fast set, BEP 6's for its address.
func TestHaveAllHaveNone(t *testing.T) {
	wantSet := wire.AllowedFastSet(net.ParseIP(fastRemoteIP), [20]byte{}, fastPieces, fastSetSize)
	tests := []struct {
		name      string
		msg       wire.MessageID
		wantCount int
		wantSet   []uint32
	}{
		{"have_all", wire.HaveAll, fastPieces, nil},
		{"have_none", wire.HaveNone, 0, wantSet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := startFastRig(t, true, allPieces())
				r.received()
				r.send(wire.Message{ID: tt.msg})
				var bf *messages.PeerBitfield
				for _, m := range r.toTorrent() {
					if b, ok := m.(*messages.PeerBitfield); ok {
						bf = b
					}
				}
				if bf == nil || bf.Bitfield.Len() != fastPieces || bf.Bitfield.Count() != tt.wantCount {
					t.Fatalf("PeerBitfield = %+v, want %d pieces", bf, tt.wantCount)
				}
				var set []uint32
				for _, m := range r.received() {
					if m.ID == wire.AllowedFast {
						set = append(set, m.Index)
					}
				}
				if !slices.Equal(set, tt.wantSet) {
					t.Fatalf("allowed fast %v, want %v", set, tt.wantSet)
				}
				if got := r.counters.Get(stats.SesNumOutgoingAllowedFast); got != int64(len(tt.wantSet)) {
					t.Fatalf("ses.num_outgoing_allowed_fast = %d", got)
				}
			})
		})
	}
}

// TestRejectsAndAllowedFastServing: while we choke the remote, requests of
// its allowed-fast pieces are served and others rejected; a request for a
// piece we lack is rejected; our choke rejects the pending requests that
// are not allowed-fast (those already being read too) and still serves
// the allowed ones.
func TestRejectsAndAllowedFastServing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		set := wire.AllowedFastSet(net.ParseIP(fastRemoteIP), [20]byte{}, fastPieces, fastSetSize)
		allowed, other, missing := int(set[0]), -1, -1
		for p := range fastPieces {
			if !slices.Contains(set, uint32(p)) {
				if missing < 0 {
					missing = p
				} else if other < 0 {
					other = p
				}
			}
		}
		var have []int
		for p := range fastPieces {
			if p != missing {
				have = append(have, p)
			}
		}
		r := startFastRig(t, true, have)
		r.send(wire.Message{ID: wire.HaveNone})
		r.received()

		// Choked: the allowed piece is read, the others rejected.
		r.send(request(blk(allowed, 0)), request(blk(other, 0)), request(blk(missing, 0)))
		r.serveReads()
		got := r.received()
		if !slices.Equal(ids(got), []wire.MessageID{wire.Reject, wire.Reject, wire.Piece}) ||
			got[0].Index != uint32(other) || got[1].Index != uint32(missing) || got[1].Length != wire.BlockSize ||
			got[2].Index != uint32(allowed) {
			t.Fatalf("while choked: %v", got)
		}
		// Unchoked: requests queue; then our choke rejects the others.
		r.sys.Root.Send(r.parent, &messages.SetChoke{Choke: false})
		synctest.Wait()
		r.send(request(blk(other, 0)), request(blk(other, 1)), request(blk(allowed, 1)))
		synctest.Wait()
		r.sys.Root.Send(r.parent, &messages.SetChoke{Choke: true})
		r.serveReads()
		got = r.received()
		if !slices.Equal(ids(got), []wire.MessageID{wire.Unchoke, wire.Choke, wire.Reject, wire.Reject, wire.Piece}) {
			t.Fatalf("after the choke: %v", ids(got))
		}
		for _, m := range got[2:4] {
			if m.Index != uint32(other) {
				t.Fatalf("rejected %+v, want piece %d", m, other)
			}
		}
		if got[4].Index != uint32(allowed) || got[4].Begin != wire.BlockSize {
			t.Fatalf("served %+v, want the allowed block", got[4])
		}
		if n := r.counters.Get(stats.SesNumOutgoingReject); n != 4 || r.counters.Get(stats.PeerPieceRejects) != 4 {
			t.Fatalf("rejects counted %d", n)
		}
	})
}

// TestRemoteRejectAndChoke: with the fast extension the remote's choke
// leaves our requests outstanding; its reject hands one block back, and a
// reject of a block we never asked for changes nothing. Without the
// extension, the choke hands every block back.
func TestRemoteRejectAndChoke(t *testing.T) {
	tests := []struct {
		name         string
		fast         bool
		afterChoke   []messages.Block // handed back by the choke
		afterRejects []messages.Block
	}{
		{"fast", true, nil, []messages.Block{blk(2, 0)}},
		{"plain", false, []messages.Block{blk(2, 0), blk(2, 1)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := startFastRig(t, tt.fast, nil)
				r.mu.Lock()
				r.assign = []messages.Block{blk(2, 0), blk(2, 1)}
				r.mu.Unlock()
				r.sys.Root.Send(r.parent, &messages.SetInterested{Interested: true})
				synctest.Wait()
				synctest.Wait()
				if tt.fast {
					r.send(wire.Message{ID: wire.HaveAll}, wire.Message{ID: wire.Unchoke})
				} else {
					bf := bitfield.New(fastPieces)
					bf.SetAll()
					r.send(wire.Message{ID: wire.BitfieldMsg, Bitfield: bf.Bytes()}, wire.Message{ID: wire.Unchoke})
				}
				if n := len(slices.DeleteFunc(ids(r.received()), func(id wire.MessageID) bool { return id != wire.Request })); n != 2 {
					t.Fatalf("sent %d requests", n)
				}
				r.send(wire.Message{ID: wire.Choke})
				if got := cancelledBlocks(r.toTorrent()); !slices.Equal(got, tt.afterChoke) {
					t.Fatalf("after the choke, handed back %v, want %v", got, tt.afterChoke)
				}
				if !tt.fast {
					return
				}
				r.send(wire.Message{ID: wire.Reject, Index: 2, Length: wire.BlockSize},
					wire.Message{ID: wire.Reject, Index: 5, Length: wire.BlockSize})
				told := r.toTorrent()
				if got := cancelledBlocks(told); !slices.Equal(got, tt.afterRejects) {
					t.Fatalf("after the rejects, handed back %v, want %v", got, tt.afterRejects)
				}
				for _, m := range told {
					if _, ok := m.(*messages.PeerClosed); ok {
						t.Fatal("a stray reject closed the connection")
					}
				}
			})
		})
	}
}

func cancelledBlocks(told []any) []messages.Block {
	var out []messages.Block
	for _, m := range told {
		if c, ok := m.(*messages.BlocksCancelled); ok {
			out = append(out, c.Blocks...)
		}
	}
	slices.SortFunc(out, func(x, y messages.Block) int { return x.Begin - y.Begin })
	return out
}

// TestAllowedFastWhileChoked: a choking remote's allowed-fast pieces are
// asked of the torrent (RequestBlocks.Allowed, the ones it has) and
// requested; a block of another piece goes back.
func TestAllowedFastWhileChoked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startFastRig(t, true, nil)
		r.mu.Lock()
		r.assign = []messages.Block{blk(3, 0), blk(1, 0)}
		r.mu.Unlock()
		r.sys.Root.Send(r.parent, &messages.SetInterested{Interested: true})
		synctest.Wait()
		bf := bitfield.New(fastPieces)
		bf.Set(3)
		bf.Set(1)
		r.send(wire.Message{ID: wire.BitfieldMsg, Bitfield: bf.Bytes()},
			wire.Message{ID: wire.AllowedFast, Index: 6}, // it lacks 6
			wire.Message{ID: wire.AllowedFast, Index: 3})
		var asked *messages.RequestBlocks
		for _, m := range r.toTorrent() {
			if rb, ok := m.(*messages.RequestBlocks); ok {
				asked = rb
			}
		}
		if asked == nil || !slices.Equal(asked.Allowed, []int{3}) {
			t.Fatalf("RequestBlocks = %+v, want Allowed [3]", asked)
		}
		var reqs []wire.Message
		for _, m := range r.received() {
			if m.ID == wire.Request {
				reqs = append(reqs, m)
			}
		}
		if len(reqs) != 1 || reqs[0].Index != 3 {
			t.Fatalf("requested %v, want piece 3 only", reqs)
		}
		if got := cancelledBlocks(r.toTorrent()); !slices.Equal(got, []messages.Block{blk(1, 0)}) {
			t.Fatalf("handed back %v", got)
		}
	})
}

// TestSuggestReadCache: with suggest_read_cache, a piece read for the
// remote is told to the torrent (once for its blocks), and a suggestion
// from the torrent goes out once, only for a piece we have and the remote
// lacks.
func TestSuggestReadCache(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startFastRig(t, true, []int{0, 1, 2, 3, 4, 5})
		bf := bitfield.New(fastPieces)
		bf.Set(4)
		r.send(wire.Message{ID: wire.BitfieldMsg, Bitfield: bf.Bytes()})
		r.sys.Root.Send(r.parent, &messages.SetChoke{Choke: false})
		synctest.Wait()
		r.send(request(blk(1, 0)), request(blk(1, 1)), request(blk(2, 0)))
		r.serveReads()
		var read []int
		for _, m := range r.toTorrent() {
			if pr, ok := m.(*messages.PieceRead); ok {
				read = append(read, pr.Piece)
			}
		}
		if !slices.Equal(read, []int{1, 2}) {
			t.Fatalf("PieceRead of %v, want [1 2]", read)
		}
		r.received()
		for _, p := range []int{3, 3, 4, 6, 5} { // twice; it has 4; we lack 6
			r.sys.Root.Send(r.parent, &messages.SuggestPiece{Piece: p})
		}
		var suggested []uint32
		for _, m := range r.received() {
			if m.ID == wire.Suggest {
				suggested = append(suggested, m.Index)
			}
		}
		if !slices.Equal(suggested, []uint32{3, 5}) {
			t.Fatalf("suggested %v, want [3 5]", suggested)
		}
		if n := r.counters.Get(stats.SesNumOutgoingSuggest); n != 2 {
			t.Fatalf("ses.num_outgoing_suggest = %d", n)
		}
	})
}
