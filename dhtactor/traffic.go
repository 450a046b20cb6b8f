package dhtactor

import (
	"sync/atomic"

	"github.com/anacrolix/dht/v2/krpc"
	"github.com/anacrolix/torrent/bencode"
)

// The KRPC queries libtorrent counts by name, in and out (dht.dht_*_in,
// dht.dht_*_out).
const (
	qPing = iota
	qFindNode
	qGetPeers
	qAnnouncePeer
	qGet
	qPut
	numQueries
)

var queryIndex = map[string]int{
	"ping": qPing, "find_node": qFindNode, "get_peers": qGetPeers,
	"announce_peer": qAnnouncePeer, "get": qGet, "put": qPut,
}

// traffic is the node's message counts, libtorrent's dht.* counters:
// every KRPC message and its bytes each way, the sends that failed, and
// the queries by name (a query we got is "in", one we sent "out"). It
// lives in the Probe, so a restarted node counts on; the socket's
// goroutines add to it.
type traffic struct {
	msgsIn, msgsOut, outDropped atomic.Int64
	bytesIn, bytesOut           atomic.Int64
	queriesIn, queriesOut       [numQueries]atomic.Int64
}

// TrafficCounts are traffic's values (Probe.Traffic).
type TrafficCounts struct {
	MessagesIn, MessagesOut, MessagesOutDropped int64
	BytesIn, BytesOut                           int64
	// QueriesIn and QueriesOut are by name: ping, find_node, get_peers,
	// announce_peer, get, put.
	QueriesIn, QueriesOut map[string]int64
}

// received counts a KRPC message our node got (already decoded).
func (t *traffic) received(m *krpc.Msg, n int) {
	t.msgsIn.Add(1)
	t.bytesIn.Add(int64(n))
	if i, ok := queryIndex[m.Q]; ok && m.Y == "q" {
		t.queriesIn[i].Add(1)
	}
}

// sent counts a message our node sent (n bytes; err: the send failed).
// Only its type and query name are decoded: tens of messages a second.
func (t *traffic) sent(b []byte, n int, err error) {
	if err != nil {
		t.outDropped.Add(1)
		return
	}
	t.msgsOut.Add(1)
	t.bytesOut.Add(int64(n))
	var m struct {
		Y string `bencode:"y"`
		Q string `bencode:"q"`
	}
	if bencode.Unmarshal(b, &m) != nil || m.Y != "q" {
		return
	}
	if i, ok := queryIndex[m.Q]; ok {
		t.queriesOut[i].Add(1)
	}
}

func (t *traffic) counts() TrafficCounts {
	c := TrafficCounts{
		MessagesIn: t.msgsIn.Load(), MessagesOut: t.msgsOut.Load(), MessagesOutDropped: t.outDropped.Load(),
		BytesIn: t.bytesIn.Load(), BytesOut: t.bytesOut.Load(),
		QueriesIn: map[string]int64{}, QueriesOut: map[string]int64{},
	}
	for name, i := range queryIndex {
		c.QueriesIn[name], c.QueriesOut[name] = t.queriesIn[i].Load(), t.queriesOut[i].Load()
	}
	return c
}
