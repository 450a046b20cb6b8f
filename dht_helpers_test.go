package actorrent

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// dhtNodeSettings: a test session with the DHT on, listening (TCP and
// the DHT's UDP) on ip, bootstrapping from routers (none: it is the
// first node). Each node gets its own 127.0.N.1 so that libtorrent's
// one-node-per-/24 rules (dht_restrict_*) let them all in.
func dhtNodeSettings(ip string, routers ...string) SettingsPack {
	p := testSettings()
	p.SetStr(ListenInterfaces, ip+":0")
	p.SetBool(EnableDHT, true)
	p.SetStr(DHTBootstrapNodes, strings.Join(routers, ","))
	p.SetInt(DHTUploadRateLimit, 0) // unlimited: a burst of lookups at once
	return p
}

// withDHTResendDelay shortens the DHT's query resend wait: the queries a
// closed node had in flight end within it (goleak waits about 2 s; the
// library's default is 2 s).
func withDHTResendDelay(d time.Duration) Option {
	return func(o *sessionOptions) { o.dhtResendDelay = d }
}

// dhtNode starts a DHT session on ip and returns it with its DHT's
// address (the listen port, which the DHT's UDP socket shares).
func dhtNode(ctx context.Context, t *testing.T, ip string, routers ...string) (*Session, string) {
	t.Helper()
	s := newTestSessionWith(t, dhtNodeSettings(ip, routers...), withDHTResendDelay(300*time.Millisecond))
	addrs, err := s.ListenAddrs(ctx)
	if err != nil || len(addrs) == 0 {
		t.Fatalf("listen addrs %v, %v", addrs, err)
	}
	on, err := s.IsDHTRunning(ctx)
	if err != nil || !on {
		t.Fatalf("DHT running %v, %v", on, err)
	}
	return s, addrs[0]
}

// dhtSwarm starts n DHT sessions on 127.0.(base+i).1, the first the
// others' router.
func dhtSwarm(ctx context.Context, t *testing.T, base, n int) ([]*Session, []string) {
	var ss []*Session
	var addrs []string
	for i := range n {
		var routers []string
		if i > 0 {
			routers = addrs[:1]
		}
		s, a := dhtNode(ctx, t, fmt.Sprintf("127.0.%d.1", base+i), routers...)
		ss, addrs = append(ss, s), append(addrs, a)
	}
	return ss, addrs
}
