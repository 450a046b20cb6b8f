package dhtactor

import (
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actorrent/actorrent/internal/dhtstate"
	"github.com/actorrent/actorrent/internal/sessionstate"
	"github.com/actorrent/actorrent/messages"
	"github.com/anacrolix/dht/v2"
)

// Probe lets the session read the DHT's status and state without a
// round trip: the session answers session_status and save_state in one
// Receive, and the server's own accessors are safe for concurrent use.
// The dht actor sets what it reads as the node starts, stops and runs
// lookups. A Probe outlives the actor's incarnations: the session makes
// one and gives it to every dht actor it starts.
type Probe struct {
	mu      sync.Mutex
	srv     *dht.Server
	conn    *guardedConn
	store   *dhtstate.PeerStore
	items   *dhtstate.ItemStore
	local   netip.Addr
	lookups map[messages.InfoHash]*lookupStats
	// rates: the counters at the last sample
	at             time.Time
	lastUp, lastDn int64
	upRate, dnRate int
	// traffic is the node's message counts, kept across its restarts.
	traffic traffic
}

// NewProbe returns a probe of a DHT that does not run.
func NewProbe() *Probe { return &Probe{} }

func (p *Probe) setServer(srv *dht.Server, conn *guardedConn, store *dhtstate.PeerStore, items *dhtstate.ItemStore, local netip.Addr) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.srv, p.conn, p.store, p.items, p.local = srv, conn, store, items, local
	p.lookups = map[messages.InfoHash]*lookupStats{}
	p.at, p.lastUp, p.lastDn, p.upRate, p.dnRate = time.Time{}, 0, 0, 0, 0
}

func (p *Probe) clearServer(srv *dht.Server) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv == srv {
		p.srv, p.conn, p.store, p.items, p.lookups = nil, nil, nil, nil, nil
	}
}

// trafficOf is where a node's socket counts its messages (nil probe:
// nowhere kept).
func (p *Probe) trafficOf() *traffic {
	if p == nil {
		return nil
	}
	return &p.traffic
}

// Metrics are the node's dht.* session stats, libtorrent's: the gauges
// while it runs (routing table nodes, replacement nodes, stored torrents,
// peers and items, RPCs in flight) and its message counts since the
// session began.
type Metrics struct {
	Nodes, NodeCache, Torrents, Peers int64
	ImmutableItems, MutableItems      int64
	AllocatedObservers                int64
	Traffic                           TrafficCounts
}

// Metrics reads the node's metrics.
func (p *Probe) Metrics() Metrics {
	if p == nil {
		return Metrics{Traffic: (&traffic{}).counts()}
	}
	m := Metrics{Traffic: p.traffic.counts()}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv == nil {
		return m
	}
	st := p.srv.Stats()
	m.Nodes, m.NodeCache = int64(st.GoodNodes), int64(st.Nodes-st.GoodNodes)
	m.AllocatedObservers = int64(st.OutstandingTransactions)
	if p.store != nil {
		m.Torrents, m.Peers = int64(p.store.NumTorrents()), int64(p.store.NumPeers())
	}
	if p.items != nil {
		im, mu := p.items.Counts()
		m.ImmutableItems, m.MutableItems = int64(im), int64(mu)
	}
	return m
}

// lookupStats is what the probe knows of a running lookup: the
// addresses its traversal tried (read atomically from the library), and
// the responses the lookup counted. (The library's TraversalStats copies
// its counters without atomics: a data race.)
type lookupStats struct {
	ann       *dht.Announce
	responses atomic.Int32
}

func (p *Probe) setLookup(ih messages.InfoHash, a *lookupStats) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lookups == nil {
		return
	}
	if a == nil {
		delete(p.lookups, ih)
	} else {
		p.lookups[ih] = a
	}
}

// Running reports whether a DHT node runs.
func (p *Probe) Running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.srv != nil
}

// Status is the DHT's part of session_status (zero while it does not run,
// as libtorrent's).
func (p *Probe) Status(now time.Time) messages.DHTStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv == nil {
		return messages.DHTStatus{}
	}
	st := p.srv.Stats()
	nodes := p.srv.Nodes()
	ids := make([][20]byte, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID
	}
	buckets := dhtstate.Buckets(p.srv.ID(), ids)
	s := messages.DHTStatus{
		Nodes: st.GoodNodes, NodeCache: st.Nodes - st.GoodNodes, Torrents: p.store.NumTorrents(),
		GlobalNodes: globalNodes(st.GoodNodes, buckets), TotalAllocations: st.OutstandingTransactions,
	}
	for _, b := range buckets {
		s.RoutingTable = append(s.RoutingTable, messages.DHTRoutingBucket{NumNodes: b.Nodes})
	}
	for _, a := range p.lookups {
		tried, answered := int(a.ann.NumContacted()), int(a.responses.Load())
		s.ActiveRequests = append(s.ActiveRequests, messages.DHTLookup{
			Type: "get_peers", Responses: answered, BranchFactor: 3,
			OutstandingRequests: max(tried-answered, 0),
		})
	}
	up, dn := p.conn.up.Load(), p.conn.down.Load()
	s.TotalUpload, s.TotalDownload = up, dn
	if dt := now.Sub(p.at); p.at.IsZero() || dt >= time.Second {
		if !p.at.IsZero() {
			p.upRate = int(float64(up-p.lastUp) / dt.Seconds())
			p.dnRate = int(float64(dn-p.lastDn) / dt.Seconds())
		}
		p.at, p.lastUp, p.lastDn = now, up, dn
	}
	s.UploadRate, s.DownloadRate = p.upRate, p.dnRate
	return s
}

// globalNodes estimates the DHT's size as libtorrent does: a full bucket
// i (k=8) holds nodes from 1/2^(i+1) of the id space, so the deepest
// full-ish bucket's count scaled by its share of the space; with no such
// bucket, the nodes we know.
func globalNodes(good int, buckets []dhtstate.Bucket) int64 {
	est := int64(good)
	for i, b := range buckets {
		if b.Nodes >= 8 && i < 62 {
			est = max(est, int64(b.Nodes)<<(i+1))
		}
	}
	return est
}

// State is the node's "dht state" (nil while it does not run).
func (p *Probe) State() *sessionstate.DHTState {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv == nil {
		return nil
	}
	var nodes []dhtstate.Node
	for _, n := range p.srv.Nodes() {
		ap := n.Addr.ToNodeAddrPort().AddrPort
		nodes = append(nodes, dhtstate.Node{ID: n.ID, Addr: ap})
	}
	return dhtstate.StateOf(p.srv.ID(), p.local, nodes)
}
