package udptracker

import (
	"encoding/binary"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// Response encoders: the tracker's side of the wire, for the fake tracker
// and the fuzz round trip.

func appendHeader(dst []byte, a Action, tx uint32) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(a))
	return binary.BigEndian.AppendUint32(dst, tx)
}

func encodeConnectReply(tx uint32, id uint64) []byte {
	return binary.BigEndian.AppendUint64(appendHeader(nil, ActionConnect, tx), id)
}

func encodeAnnounceReply(tx uint32, r AnnounceResponse, ipv6 bool) []byte {
	b := appendHeader(nil, ActionAnnounce, tx)
	b = binary.BigEndian.AppendUint32(b, uint32(r.Interval/time.Second))
	b = binary.BigEndian.AppendUint32(b, uint32(r.Incomplete))
	b = binary.BigEndian.AppendUint32(b, uint32(r.Complete))
	for _, p := range r.Peers {
		if ipv6 {
			a := p.Addr().As16()
			b = append(b, a[:]...)
		} else {
			a := p.Addr().As4()
			b = append(b, a[:]...)
		}
		b = binary.BigEndian.AppendUint16(b, p.Port())
	}
	return b
}

func encodeScrapeReply(tx uint32, rs []ScrapeResponse) []byte {
	b := appendHeader(nil, ActionScrape, tx)
	for _, r := range rs {
		b = binary.BigEndian.AppendUint32(b, uint32(r.Complete))
		b = binary.BigEndian.AppendUint32(b, uint32(r.Downloaded))
		b = binary.BigEndian.AppendUint32(b, uint32(r.Incomplete))
	}
	return b
}

func encodeErrorReply(tx uint32, msg string) []byte {
	return append(appendHeader(nil, ActionError, tx), msg...)
}

// fakeRequest is a request as the fake tracker decoded it.
type fakeRequest struct {
	n      int // 1 for the first packet received, 2 for the next...
	from   net.Addr
	connID uint64
	action Action
	tx     uint32
	// announce fields
	infoHash [20]byte
	event    uint32
	left     int64
	numWant  int32
	port     uint16
	hashes   [][20]byte // scrape
}

func parseFakeRequest(b []byte) (fakeRequest, bool) {
	if len(b) < 16 {
		return fakeRequest{}, false
	}
	r := fakeRequest{
		connID: binary.BigEndian.Uint64(b[0:8]),
		action: Action(binary.BigEndian.Uint32(b[8:12])),
		tx:     binary.BigEndian.Uint32(b[12:16]),
	}
	switch r.action {
	case ActionConnect:
		return r, r.connID == protocolID && len(b) == connectRequestLen
	case ActionAnnounce:
		if len(b) != announceRequestLen {
			return r, false
		}
		copy(r.infoHash[:], b[16:36])
		r.left = int64(binary.BigEndian.Uint64(b[64:72]))
		r.event = binary.BigEndian.Uint32(b[80:84])
		r.numWant = int32(binary.BigEndian.Uint32(b[92:96]))
		r.port = binary.BigEndian.Uint16(b[96:98])
		return r, true
	case ActionScrape:
		for h := b[16:]; len(h) >= 20; h = h[20:] {
			r.hashes = append(r.hashes, [20]byte(h[:20]))
		}
		return r, len(b) > 16 && (len(b)-16)%20 == 0
	}
	return r, false
}

// fakeTracker is a small BEP 15 tracker on loopback. By default it hands
// out connection ids, records announcers and returns the other peers of the
// swarm, and answers scrapes. script, if set, may take over any request:
// it returns the packets to send (from the tracker's own socket) and
// whether it handled the request.
type fakeTracker struct {
	t    *testing.T
	conn net.PacketConn
	done chan struct{}

	mu       sync.Mutex
	n        int
	received map[Action]int
	ids      map[uint64]bool
	nextID   uint64
	swarm    map[[20]byte]map[netip.AddrPort]bool // peer → seeding
	script   func(r fakeRequest) ([][]byte, bool)
}

func startFakeTracker(t *testing.T, network, addr string) *fakeTracker {
	t.Helper()
	conn, err := net.ListenPacket(network, addr)
	if err != nil {
		t.Skipf("cannot listen on %s %s: %v", network, addr, err)
	}
	return serveFakeTracker(t, conn)
}

// serveFakeTracker runs a fake tracker on conn until the test ends.
func serveFakeTracker(t *testing.T, conn net.PacketConn) *fakeTracker {
	t.Helper()
	ft := &fakeTracker{t: t, conn: conn, done: make(chan struct{}),
		received: map[Action]int{}, ids: map[uint64]bool{}, nextID: 0x1000,
		swarm: map[[20]byte]map[netip.AddrPort]bool{}}
	go ft.serve()
	t.Cleanup(func() {
		_ = conn.Close()
		<-ft.done
	})
	return ft
}

// addr is the tracker's "host:port".
func (ft *fakeTracker) addr() string { return ft.conn.LocalAddr().String() }

func (ft *fakeTracker) setScript(f func(r fakeRequest) ([][]byte, bool)) {
	ft.mu.Lock()
	ft.script = f
	ft.mu.Unlock()
}

func (ft *fakeTracker) count(a Action) int {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return ft.received[a]
}

func (ft *fakeTracker) serve() {
	defer close(ft.done)
	buf := make([]byte, 2048)
	for {
		n, from, err := ft.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		r, ok := parseFakeRequest(buf[:n])
		if !ok {
			continue
		}
		r.from = from
		for _, pkt := range ft.handle(r) {
			_, _ = ft.conn.WriteTo(pkt, from)
		}
	}
}

func (ft *fakeTracker) handle(r fakeRequest) [][]byte {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	ft.n++
	r.n = ft.n
	ft.received[r.action]++
	if ft.script != nil {
		ft.mu.Unlock()
		pkts, handled := ft.script(r)
		ft.mu.Lock()
		if handled {
			return pkts
		}
	}
	if r.action == ActionConnect {
		ft.nextID++
		ft.ids[ft.nextID] = true
		return [][]byte{encodeConnectReply(r.tx, ft.nextID)}
	}
	if !ft.ids[r.connID] {
		return [][]byte{encodeErrorReply(r.tx, "Connection ID missmatch.")}
	}
	if r.action == ActionScrape {
		var rs []ScrapeResponse
		for _, h := range r.hashes {
			var s ScrapeResponse
			for _, seed := range ft.swarm[h] {
				if seed {
					s.Complete++
				} else {
					s.Incomplete++
				}
			}
			rs = append(rs, s)
		}
		return [][]byte{encodeScrapeReply(r.tx, rs)}
	}
	from, _ := addrPortOf(r.from)
	self := netip.AddrPortFrom(from.Addr(), r.port)
	sw := ft.swarm[r.infoHash]
	if sw == nil {
		sw = map[netip.AddrPort]bool{}
		ft.swarm[r.infoHash] = sw
	}
	resp := AnnounceResponse{Interval: 1800 * time.Second}
	for p, seed := range sw {
		if p != self {
			resp.Peers = append(resp.Peers, p)
		}
		if seed {
			resp.Complete++
		} else {
			resp.Incomplete++
		}
	}
	if r.event == 3 { // stopped
		delete(sw, self)
	} else {
		sw[self] = r.left == 0
	}
	return [][]byte{encodeAnnounceReply(r.tx, resp, from.Addr().Is6())}
}
