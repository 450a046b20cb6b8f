package portmapactor

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/internal/portmap"
	"github.com/actorrent/actorrent/messages"
)

// memGateway is a gateway in memory (nothing blocks on the network, so
// the mapper runs in a synctest bubble): it records when each request
// came and gives the lease it is told to.
type memGateway struct {
	mu    sync.Mutex
	lease time.Duration
	adds  []time.Time
	dels  int
}

func (g *memGateway) Describe() string { return "memory gateway" }
func (g *memGateway) ExternalIP(context.Context) (netip.Addr, error) {
	return netip.MustParseAddr("5.6.7.8"), nil
}
func (g *memGateway) Add(_ context.Context, m portmap.Mapping, _ time.Duration) (uint16, time.Duration, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.adds = append(g.adds, time.Now())
	return m.External, g.lease, nil
}
func (g *memGateway) Delete(context.Context, portmap.Mapping) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.dels++
	return nil
}

func (g *memGateway) addTimes() []time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]time.Time(nil), g.adds...)
}

func TestMappingsAreRenewedBeforeTheLeaseEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gw := &memGateway{lease: 30 * time.Minute}
		searches := 0
		disc := DiscovererFunc(func(_ context.Context, tr portmap.Transport) (Gateway, error) {
			if tr != portmap.NATPMP {
				return nil, errNoGateway
			}
			if searches++; searches == 1 {
				return nil, errors.New("no route to the gateway yet")
			}
			return gw, nil
		})
		start := time.Now()
		m := startMapper(t, Config{
			Discoverer: disc,
			Initial:    messages.PortmapConfig{Listen: lanListen[:1], NATPMP: true},
		})
		// The search fails, is tried again after 5 s; then both mappings
		// are made, and renewed every 20 minutes (2/3 of the lease given).
		time.Sleep(2 * time.Hour)
		synctest.Wait()
		adds := gw.addTimes()
		if len(adds) != 2*6 {
			t.Fatalf("%d adds in two hours, want 12 (made at 0:00:05, then renewed five times each): %v", len(adds), adds)
		}
		if first := adds[0].Sub(start); first != 5*time.Second {
			t.Fatalf("first mapping after %v, want after the search's 5 s backoff", first)
		}
		if gap := adds[2].Sub(adds[0]); gap != 20*time.Minute {
			t.Fatalf("renewed after %v, want 20m", gap)
		}
		if n := countAlerts[*messages.PortmapErrorAlert](m.log); n != 1 {
			t.Fatalf("%d portmap_error alerts, want 1 (the failed search)", n)
		}
		if n := countAlerts[*messages.PortmapAlert](m.log); n != 12 {
			t.Fatalf("%d portmap alerts, want 12", n)
		}
	})
}
