package peeractor

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// A transfer between two of our peers in a synctest bubble: a seeder peer
// and a leecher peer, each on its own net.Pipe, joined by two copiers that
// drop the handshakes (each side was handed the other's, as a listener
// does). A stub disk answers the seeder's reads and counts the leecher's
// writes; stub torrents unchoke and hand out blocks.

const pairPieceLen = 256 << 10

// pairInfo has more blocks than a pipeline holds (max_out_request_queue):
// the pair's torrent hands them out round and round, and a block must not
// be outstanding twice.
var pairInfo = &metainfo.Info{Name: "x", PieceLength: pairPieceLen, Pieces: make([][20]byte, 64), TotalLength: 64 * pairPieceLen}

// addrConn gives a net.Pipe end a remote address, which is what the gate
// classifies the peer by.
type addrConn struct {
	net.Conn
	remote net.Addr
}

func (c addrConn) RemoteAddr() net.Addr { return c.remote }

func tcpAddr(ip string) net.Addr { return &net.TCPAddr{IP: net.ParseIP(ip), Port: 6881} }

// pairDisk answers reads with zeroed blocks and counts written bytes,
// giving the write credit back at once.
type pairDisk struct {
	credit  *actors.Credit
	written *atomic.Int64
}

func (d *pairDisk) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *messages.DiskRead:
		buf := bufpool.Get(m.Length)[:m.Length]
		c.Send(m.ReplyTo, &messages.DiskReadReply{Piece: m.Piece, Begin: m.Begin, Data: buf})
	case *messages.DiskWrite:
		d.written.Add(int64(len(m.Data)))
		d.credit.Release(int64(len(m.Data)))
		bufpool.Put(m.Data)
	}
}

// pairTorrent is a peer's parent: the seeder's unchokes whoever is
// interested; the leecher's is interested and hands out blocks, round the
// torrent's pieces again and again, until budget bytes were handed out.
type pairTorrent struct {
	cfg    Config
	peer   *actor.PID
	leech  bool
	budget int64
	next   int64 // offset in the endless stream of blocks
}

func (s *pairTorrent) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		s.peer = c.Spawn(New(s.cfg))
	case *messages.PeerInterest:
		c.Send(s.peer, &messages.SetChoke{Choke: !m.Interested})
	case *messages.PeerBitfield:
		if s.leech {
			c.Send(s.peer, &messages.SetInterested{Interested: true})
		}
	case *messages.RequestBlocks:
		var blocks []messages.Block
		for len(blocks) < m.Max && s.next < s.budget {
			at := s.next % pairInfo.TotalLength
			blocks = append(blocks, messages.Block{Piece: int(at / pairPieceLen), Begin: int(at % pairPieceLen), Length: wire.BlockSize})
			s.next += wire.BlockSize
		}
		c.Send(s.peer, &messages.BlocksAssigned{Blocks: blocks})
	}
}

// pairSide is what a side of the pair draws from.
type pairSide struct {
	gate   *actors.Bandwidth
	rates  [2]*ratelimit.Channel
	remote string // the address the other side appears at
}

// peerPair is one running pair.
type peerPair struct {
	received atomic.Int64 // payload bytes the leecher wrote to disk
}

// startPair runs a seeder and a leecher peer that move up to budget bytes;
// everything stops when the test ends (call it inside a bubble).
func startPair(t *testing.T, sys *actor.ActorSystem, seed, leech pairSide, budget int64) *peerPair {
	t.Helper()
	p := &peerPair{}
	seedEnd, seedWire := net.Pipe()
	leechEnd, leechWire := net.Pipe()
	var wg sync.WaitGroup
	splice := func(dst, src net.Conn) {
		defer wg.Done()
		if _, err := io.CopyN(io.Discard, src, wire.HandshakeLen); err == nil {
			_, _ = io.Copy(dst, src)
		}
		dst.Close()
		src.Close()
	}
	wg.Add(2)
	go splice(leechWire, seedWire)
	go splice(seedWire, leechWire)

	var seedID, leechID [20]byte
	copy(seedID[:], "-TT0000-seeder------")
	copy(leechID[:], "-TT0000-leecher-----")
	credit := actors.NewCredit(4 << 20)
	set := settings.Default()
	all := bitfield.New(pairInfo.NumPieces())
	for i := range pairInfo.NumPieces() {
		all.Set(i)
	}
	disk := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &pairDisk{credit: credit, written: &p.received} }))
	seedHS, leechHS := wire.Handshake{PeerID: leechID}, wire.Handshake{PeerID: seedID}
	seeder := Config{
		Key: 1, PeerID: seedID, Info: pairInfo, Have: all, Credit: credit, Disk: disk, Settings: set,
		Conn: addrConn{seedEnd, tcpAddr(seed.remote)}, Handshake: &seedHS,
		Bandwidth: seed.gate, TorrentRates: seed.rates,
	}
	leecher := Config{
		Key: 1, PeerID: leechID, Info: pairInfo, Have: bitfield.New(pairInfo.NumPieces()), Credit: credit, Disk: disk, Settings: set,
		Conn: addrConn{leechEnd, tcpAddr(leech.remote)}, Handshake: &leechHS,
		Bandwidth: leech.gate, TorrentRates: leech.rates,
	}
	parents := []*actor.PID{
		sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &pairTorrent{cfg: seeder} })),
		sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &pairTorrent{cfg: leecher, leech: true, budget: budget} })),
	}
	t.Cleanup(func() {
		for _, pid := range parents {
			_ = sys.Root.StopFuture(pid).Wait()
		}
		_ = sys.Root.StopFuture(disk).Wait()
		seedWire.Close()
		leechWire.Close()
		wg.Wait()
	})
	return p
}

// newPairSystem is an actor system for pairs that shuts down, its
// dead-letter throttle run out, when the test ends.
func newPairSystem(t *testing.T) *actor.ActorSystem {
	sys := actors.NewSystem(nil)
	t.Cleanup(func() {
		sys.Shutdown()
		time.Sleep(sys.Config.DeadLetterThrottleInterval + time.Second)
	})
	return sys
}

// newGate is a gate with the global class limited to up and down bytes a
// second (0: unlimited), closed when the test ends.
func newGate(t *testing.T, up, down int64) *actors.Bandwidth {
	b := actors.NewBandwidth(0)
	t.Cleanup(b.Close) // registered after the pairs' cleanups: runs first, freeing any waiter
	if err := b.SetClassLimit(ratelimit.GlobalClass, ratelimit.Upload, up); err != nil {
		t.Fatal(err)
	}
	if err := b.SetClassLimit(ratelimit.GlobalClass, ratelimit.Download, down); err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	limit2MBps = 2_000_000
	window     = 10 * time.Second
	internet   = "203.0.113.7" // a global-class address
)

// within reports whether got is want ±pct percent.
func within(got, want int64, pct int64) bool {
	return got >= want*(100-pct)/100 && got <= want*(100+pct)/100
}

// A 2 MB/s limit on either side holds a transfer to 20 MB ±5% over 10
// virtual seconds: the seeder's upload (global class or torrent), or the
// leecher's download (global class or torrent). With
// rate_limit_ip_overhead the payload is the limit less the estimated
// headers (about 2.7%).
func TestPairRateLimit(t *testing.T) {
	tests := []struct {
		name string
		// side picks the limited side's gate and rates
		seed, leech func(t *testing.T) pairSide
	}{
		{
			name:  "seeder's global upload",
			seed:  func(t *testing.T) pairSide { return pairSide{gate: newGate(t, limit2MBps, 0), remote: internet} },
			leech: func(t *testing.T) pairSide { return pairSide{remote: internet} },
		},
		{
			name:  "leecher's global download",
			seed:  func(t *testing.T) pairSide { return pairSide{remote: internet} },
			leech: func(t *testing.T) pairSide { return pairSide{gate: newGate(t, 0, limit2MBps), remote: internet} },
		},
		{
			name: "seeder's torrent upload",
			seed: func(t *testing.T) pairSide {
				return pairSide{gate: newGate(t, 0, 0), rates: [2]*ratelimit.Channel{ratelimit.NewChannel(limit2MBps), nil}, remote: internet}
			},
			leech: func(t *testing.T) pairSide { return pairSide{remote: internet} },
		},
		{
			name: "leecher's torrent download",
			seed: func(t *testing.T) pairSide { return pairSide{remote: internet} },
			leech: func(t *testing.T) pairSide {
				return pairSide{gate: newGate(t, 0, 0), rates: [2]*ratelimit.Channel{nil, ratelimit.NewChannel(limit2MBps)}, remote: internet}
			},
		},
		{
			name:  "no IP address is global",
			seed:  func(t *testing.T) pairSide { return pairSide{gate: newGate(t, limit2MBps, 0)} },
			leech: func(t *testing.T) pairSide { return pairSide{} },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				sys := newPairSystem(t)
				p := startPair(t, sys, tc.seed(t), tc.leech(t), 40<<20)
				time.Sleep(window)
				got := p.received.Load()
				t.Logf("%d bytes in %v: %.3f MB/s", got, window, float64(got)/window.Seconds()/1e6)
				if !within(got, limit2MBps*10, 5) {
					t.Errorf("moved %d bytes in %v through a 2 MB/s limit, want 20 MB ±5%%", got, window)
				}
			})
		})
	}
}

// Two seeders in one class share its limit: 20 MB ±5% together in 10 s,
// each within 20% of the other's share.
func TestPairsShareAClass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newPairSystem(t)
		gate := newGate(t, 0, 0)
		id, err := gate.CreateClass("shared")
		if err != nil {
			t.Fatal(err)
		}
		c, _ := gate.Class(id)
		c.UploadLimit = limit2MBps
		if err := gate.SetClass(id, c); err != nil {
			t.Fatal(err)
		}
		filter := actors.DefaultClassFilter(false) // everything global...
		for _, ip := range []string{"198.51.100.1", "198.51.100.2"} {
			a := tcpAddr(ip).(*net.TCPAddr).AddrPort().Addr()
			if err := filter.AddRule(a, a, ratelimit.Mask(ratelimit.GlobalClass, id)); err != nil { // ...and these in the class
				t.Fatal(err)
			}
		}
		gate.SetClassFilter(filter)
		a := startPair(t, sys, pairSide{gate: gate, remote: "198.51.100.1"}, pairSide{remote: internet}, 40<<20)
		b := startPair(t, sys, pairSide{gate: gate, remote: "198.51.100.2"}, pairSide{remote: internet}, 40<<20)
		time.Sleep(window)
		ga, gb := a.received.Load(), b.received.Load()
		t.Logf("shares: %d and %d bytes in %v", ga, gb, window)
		if !within(ga+gb, limit2MBps*10, 5) {
			t.Errorf("moved %d bytes together, want 20 MB ±5%%", ga+gb)
		}
		mean := (ga + gb) / 2
		if !within(ga, mean, 20) || !within(gb, mean, 20) {
			t.Errorf("shares %d and %d: not within 20%% of their mean %d", ga, gb, mean)
		}
	})
}

// The local class is unlimited by default: a seeder whose leecher is on
// 127.0.0.1 ignores the global limit (no virtual time passes), until the
// class filter puts 127.0.0.1 in the global class too.
func TestPairLocalClassUnlimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newPairSystem(t)
		gate := newGate(t, limit2MBps, limit2MBps)
		const budget = 8 << 20
		start := time.Now()
		p := startPair(t, sys, pairSide{gate: gate, remote: "127.0.0.1"}, pairSide{gate: gate, remote: "127.0.0.1"}, budget)
		time.Sleep(time.Millisecond)
		if got := p.received.Load(); got != budget {
			t.Fatalf("loopback pair moved %d of %d bytes in %v despite the unlimited local class", got, budget, time.Since(start))
		}
		gate.SetClassFilter(actors.DefaultClassFilter(false))
		q := startPair(t, sys, pairSide{gate: gate, remote: "127.0.0.1"}, pairSide{remote: internet}, budget)
		time.Sleep(time.Second)
		if got := q.received.Load(); !within(got, limit2MBps, 5) {
			t.Errorf("with loopback in the global class, moved %d bytes in 1 s, want 2 MB ±5%%", got)
		}
	})
}

// A limit changed during a transfer takes effect at once: 2 MB/s for 5 s,
// then 1 MB/s for 5 s.
func TestPairLimitChangesAtRuntime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := newPairSystem(t)
		gate := newGate(t, limit2MBps, 0)
		p := startPair(t, sys, pairSide{gate: gate, remote: internet}, pairSide{remote: internet}, 40<<20)
		time.Sleep(window / 2)
		first := p.received.Load()
		if err := gate.SetClassLimit(ratelimit.GlobalClass, ratelimit.Upload, limit2MBps/2); err != nil {
			t.Fatal(err)
		}
		time.Sleep(window / 2)
		second := p.received.Load() - first
		if !within(first, limit2MBps*5, 5) || !within(second, limit2MBps/2*5, 5) {
			t.Errorf("moved %d then %d bytes, want 10 MB then 5 MB ±5%%", first, second)
		}
	})
}

func TestTakeChunk(t *testing.T) {
	hdr, block := make([]byte, 13), make([]byte, 16<<10)
	tests := []struct {
		name  string
		bufs  net.Buffers
		max   int
		sizes [][]int // the chunks' buffer sizes, in order
	}{
		{"header and block per chunk", net.Buffers{hdr, block, hdr, block}, 16<<10 + 13, [][]int{{13, 16384}, {13, 16384}}},
		{"small ones together", net.Buffers{hdr, hdr, hdr}, 30, [][]int{{13, 13}, {13}}},
		{"a large buffer is split", net.Buffers{make([]byte, 40)}, 16, [][]int{{16}, {16}, {8}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [][]int
			bufs := tc.bufs
			for len(bufs) > 0 {
				var chunk net.Buffers
				chunk, bufs = takeChunk(bufs, tc.max)
				var sizes []int
				for _, c := range chunk {
					sizes = append(sizes, len(c))
				}
				got = append(got, sizes)
			}
			if len(got) != len(tc.sizes) {
				t.Fatalf("chunks %v, want %v", got, tc.sizes)
			}
			for i := range got {
				if len(got[i]) != len(tc.sizes[i]) {
					t.Fatalf("chunks %v, want %v", got, tc.sizes)
				}
				for j := range got[i] {
					if got[i][j] != tc.sizes[i][j] {
						t.Fatalf("chunks %v, want %v", got, tc.sizes)
					}
				}
			}
		})
	}
}
