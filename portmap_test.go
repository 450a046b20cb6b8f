package actorrent

import (
	"context"
	"errors"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorrent/actorrent/portmapactor"
	"github.com/actorrent/actorrent/portmapactor/fakegw"
	"github.com/actorrent/actorrent/supervisor"
)

// The port mapping tests give the session fake gateways on loopback: an
// IGD on an httptest server and a NAT-PMP responder at a 127.0.154.x of
// the test's own (the client's port, 5351, is fixed; the portmapactor
// package's tests use 127.0.153.x).

var portmapSeq atomic.Uint32

type fakeGateways struct {
	igd *fakegw.IGD
	pmp *fakegw.NATPMP
	d   portmapactor.Discoverer
}

func newFakeGateways(t *testing.T) *fakeGateways {
	t.Helper()
	igd := fakegw.NewIGD("urn:schemas-upnp-org:service:WANIPConnection:2", "5.6.7.9")
	t.Cleanup(igd.Close)
	addr := netip.AddrFrom4([4]byte{127, 0, 154, byte(portmapSeq.Add(1))})
	pmp, err := fakegw.NewNATPMP(addr, netip.MustParseAddr("5.6.7.8"))
	if err != nil {
		t.Skipf("no fake NAT-PMP gateway at %s:5351: %v", addr, err)
	}
	t.Cleanup(pmp.Close)
	return &fakeGateways{igd: igd, pmp: pmp, d: portmapactor.AtURLs(igd.URL(), addr)}
}

// portmapSession starts a session with UPnP and NAT-PMP on, talking to
// gw, and a log of its alerts.
func portmapSession(t *testing.T, gw *fakeGateways, opts ...Option) (*Session, *alertLog) {
	t.Helper()
	set := testSettings()
	set.SetBool(EnableUPnP, true)
	set.SetBool(EnableNATPMP, true)
	s := newTestSessionWith(t, set, append(opts, withPortmapDiscoverer(gw.d))...)
	log := &alertLog{wake: make(chan struct{}, 1)}
	ch, err := s.Subscribe(context.Background(), CategoryAll)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for a := range ch {
			log.add(a)
		}
	}()
	return s, log
}

func (g *fakeGateways) wait(ctx context.Context, t *testing.T, what string, cond func(igd, pmp map[fakegw.Key]fakegw.Entry) bool) {
	t.Helper()
	for !cond(g.igd.Mappings(), g.pmp.Mappings()) {
		select {
		case <-g.igd.Changed():
		case <-g.pmp.Changed():
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s: IGD %v, NAT-PMP %v", what, g.igd.Mappings(), g.pmp.Mappings())
		}
	}
}

func TestAddAndDeletePortMapping(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	gw := newFakeGateways(t)
	s, log := portmapSession(t, gw)
	idx, err := s.AddPortMapping(ctx, PortmapTCP, 7000, 7001)
	if err != nil {
		t.Fatal(err)
	}
	key := fakegw.Key{Protocol: "TCP", External: 7000}
	for _, tr := range []PortmapTransport{PortmapUPnP, PortmapNATPMP} {
		al := log.wait(ctx, t, "portmap of "+tr.String(), func(a Alert) bool {
			p, ok := a.(PortmapAlert)
			return ok && p.MapType == tr && p.Mapping == idx
		}).(PortmapAlert)
		if al.ExternalPort != 7000 || al.Protocol != PortmapTCP {
			t.Fatalf("%+v", al)
		}
	}
	igd, pmp := gw.igd.Mappings(), gw.pmp.Mappings()
	if len(igd) != 1 || len(pmp) != 1 || igd[key].Internal != 7001 || pmp[key].Internal != 7001 {
		t.Fatalf("IGD %v, NAT-PMP %v: want only 7000→7001 (the listen port is on loopback: not mapped)", igd, pmp)
	}
	log.wait(ctx, t, "external_ip from a gateway", func(a Alert) bool {
		e, ok := a.(ExternalIPAlert)
		return ok && e.ExternalAddress == netip.MustParseAddr("5.6.7.8")
	})
	if err := s.DeletePortMapping(ctx, idx); err != nil {
		t.Fatal(err)
	}
	gw.wait(ctx, t, "the mapping deleted", func(igd, pmp map[fakegw.Key]fakegw.Entry) bool { return len(igd)+len(pmp) == 0 })
	if err := s.DeletePortMapping(ctx, idx); !errors.Is(err, ErrNoPortMapping) {
		t.Fatalf("deleting again: %v", err)
	}
}

// enable_upnp and enable_natpmp apply live: off deletes the transport's
// mappings, on makes them again.
func TestPortMappingSettingsLive(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	gw := newFakeGateways(t)
	s, _ := portmapSession(t, gw)
	if _, err := s.AddPortMapping(ctx, PortmapUDP, 7100, 7100); err != nil {
		t.Fatal(err)
	}
	both := func(igd, pmp map[fakegw.Key]fakegw.Entry) bool { return len(igd) == 1 && len(pmp) == 1 }
	gw.wait(ctx, t, "mapped on both", both)
	var p SettingsPack
	p.SetBool(EnableUPnP, false)
	if err := s.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	gw.wait(ctx, t, "deleted from the IGD only", func(igd, pmp map[fakegw.Key]fakegw.Entry) bool { return len(igd) == 0 && len(pmp) == 1 })
	p.SetBool(EnableUPnP, true)
	if err := s.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	gw.wait(ctx, t, "mapped on the IGD again", both)
}

// The port mapper fails (an injected panic in its Receive, on a gateway
// found; or in the goroutine of a request to a gateway): it is restarted
// after a backoff, finds the gateways again and makes the mappings again,
// under the same index.
func TestFaultPortmapRestartsAndMapsAgain(t *testing.T) {
	for _, c := range []faultCase{
		{"receive", supervisor.Rule{Message: "discovered", Nth: 1}},
		{"map", supervisor.Rule{Site: supervisor.SiteMap, Nth: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			gw := newFakeGateways(t)
			c.rule.Kind, c.rule.Action = supervisor.KindPortmap, supervisor.ActionPanic
			s, log := portmapSession(t, gw, WithFaults(supervisor.Plan{Rules: []supervisor.Rule{c.rule}}))
			idx, err := s.AddPortMapping(ctx, PortmapTCP, 7200, 7200)
			if err != nil {
				t.Fatal(err)
			}
			f := log.wait(ctx, t, "actor_failed of portmap", func(a Alert) bool {
				f, ok := a.(ActorFailedAlert)
				return ok && f.Kind == string(supervisor.KindPortmap)
			}).(ActorFailedAlert)
			if f.Directive != "restart" || !f.Injected {
				t.Fatalf("actor_failed = %+v", f)
			}
			gw.wait(ctx, t, "mapped on both after the restart", func(igd, pmp map[fakegw.Key]fakegw.Entry) bool {
				k := fakegw.Key{Protocol: "TCP", External: 7200}
				return igd[k].Internal == 7200 && pmp[k].Internal == 7200
			})
			for _, tr := range []PortmapTransport{PortmapUPnP, PortmapNATPMP} {
				log.wait(ctx, t, "portmap of "+tr.String(), func(a Alert) bool {
					p, ok := a.(PortmapAlert)
					return ok && p.MapType == tr && p.Mapping == idx
				})
			}
			if err := s.DeletePortMapping(ctx, idx); err != nil {
				t.Fatalf("the index is kept across the restart: %v", err)
			}
		})
	}
}

// Close deletes the session's mappings from the gateways before it
// returns, as libtorrent's session does.
func TestCloseDeletesPortMappings(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	gw := newFakeGateways(t)
	s, _ := portmapSession(t, gw)
	for _, p := range []int{7300, 7301} {
		if _, err := s.AddPortMapping(ctx, PortmapTCP, p, p); err != nil {
			t.Fatal(err)
		}
	}
	gw.wait(ctx, t, "mapped on both", func(igd, pmp map[fakegw.Key]fakegw.Entry) bool { return len(igd) == 2 && len(pmp) == 2 })
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if igd, pmp := gw.igd.Mappings(), gw.pmp.Mappings(); len(igd)+len(pmp) != 0 {
		t.Fatalf("after Close the gateways hold IGD %v, NAT-PMP %v", igd, pmp)
	}
	if _, err := s.AddPortMapping(ctx, PortmapTCP, 7302, 7302); !errors.Is(err, ErrSessionClosed) {
		t.Fatalf("AddPortMapping after Close: %v", err)
	}
}
