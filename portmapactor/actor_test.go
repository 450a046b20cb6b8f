package portmapactor

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/portmap"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/portmapactor/fakegw"
)

func TestTheListenPortIsMappedOnBothGateways(t *testing.T) {
	igd := newIGD(t, wanIP2)
	pmp, pmpAddr := newNATPMP(t)
	m := startMapper(t, Config{
		Discoverer: AtURLs(igd.URL(), pmpAddr),
		Initial:    messages.PortmapConfig{Listen: lanListen, UPnP: true, NATPMP: true},
	})
	waitFor(t, "four portmap alerts", func() bool { return countAlerts[*messages.PortmapAlert](m.log) == 4 }, m.log.more)
	for _, g := range []map[fakegw.Key]fakegw.Entry{igd.Mappings(), pmp.Mappings()} {
		if len(g) != 2 || g[tcp6881].Internal != 6881 || g[udp6881].Internal != 6881 {
			t.Fatalf("gateway holds %+v", g)
		}
	}
	if e := igd.Mappings()[tcp6881]; e.Client != "127.0.0.1" || e.Lease != 3600 {
		t.Fatalf("UPnP mapping %+v: want our address towards the IGD and an hour's lease", e)
	}
	ips := map[netip.Addr]bool{}
	for _, al := range m.log.all() {
		if e, ok := al.(*messages.ExternalIPAlert); ok {
			ips[e.ExternalAddress] = true
		}
	}
	if !ips[netip.MustParseAddr("5.6.7.8")] || !ips[netip.MustParseAddr("5.6.7.9")] {
		t.Fatalf("external_ip alerts for %v", ips)
	}
}

func TestAnIGDv1IsUsedWhenThereIsNoV2(t *testing.T) {
	igd := newIGD(t, wanIP1)
	m := startMapper(t, Config{
		Discoverer: AtURLs(igd.URL(), netip.Addr{}),
		Initial:    messages.PortmapConfig{Listen: lanListen, UPnP: true},
	})
	waitFor(t, "two portmap alerts", func() bool { return countAlerts[*messages.PortmapAlert](m.log) == 2 }, m.log.more)
	if len(igd.Mappings()) != 2 {
		t.Fatalf("IGDv1 holds %+v", igd.Mappings())
	}
}

func TestAUserMappingIsAddedAndDeleted(t *testing.T) {
	igd := newIGD(t, wanIP2)
	pmp, pmpAddr := newNATPMP(t)
	// Listening on loopback: only the user's mapping is wanted.
	m := startMapper(t, Config{
		Discoverer: AtURLs(igd.URL(), pmpAddr),
		Initial:    messages.PortmapConfig{Listen: []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:6881")}, UPnP: true, NATPMP: true},
	})
	r := m.request(&messages.AddPortMapping{Protocol: portmap.UDP, External: 7000, Local: 7001}).(*messages.AddPortMappingReply)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	key := fakegw.Key{Protocol: "UDP", External: 7000}
	waitFor(t, "the mapping on both gateways", func() bool {
		return igd.Mappings()[key].Internal == 7001 && pmp.Mappings()[key].Internal == 7001
	}, igd.Changed(), pmp.Changed())
	if n := len(igd.Mappings()) + len(pmp.Mappings()); n != 2 {
		t.Fatalf("%d mappings: the loopback listen port was mapped", n)
	}
	d := m.request(&messages.DeletePortMapping{Index: r.Index}).(*messages.DeletePortMappingReply)
	if d.Err != nil {
		t.Fatal(d.Err)
	}
	waitFor(t, "the mapping deleted", func() bool { return len(igd.Mappings())+len(pmp.Mappings()) == 0 },
		igd.Changed(), pmp.Changed())
	d = m.request(&messages.DeletePortMapping{Index: r.Index}).(*messages.DeletePortMappingReply)
	if !errors.Is(d.Err, portmap.ErrNoMapping) {
		t.Fatalf("deleting again: %v", d.Err)
	}
	bad := m.request(&messages.AddPortMapping{Protocol: 9, External: 1, Local: 1}).(*messages.AddPortMappingReply)
	if bad.Err == nil || bad.Index != -1 {
		t.Fatalf("an invalid protocol was taken: %+v", bad)
	}
}

func TestTurningUPnPOffDeletesItsMappings(t *testing.T) {
	igd := newIGD(t, wanIP2)
	m := startMapper(t, Config{
		Discoverer: AtURLs(igd.URL(), netip.Addr{}),
		Initial:    messages.PortmapConfig{Listen: lanListen, UPnP: true},
	})
	waitFor(t, "the listen port mapped", func() bool { return len(igd.Mappings()) == 2 }, igd.Changed())
	m.sys.Root.Send(m.pid, &messages.PortmapConfig{Listen: lanListen, UPnP: false})
	waitFor(t, "the mappings deleted", func() bool { return len(igd.Mappings()) == 0 }, igd.Changed())
	m.sys.Root.Send(m.pid, &messages.PortmapConfig{Listen: lanListen, UPnP: true})
	waitFor(t, "the listen port mapped again", func() bool { return len(igd.Mappings()) == 2 }, igd.Changed())
}

func TestARefusedMappingIsRetried(t *testing.T) {
	igd := newIGD(t, wanIP2)
	igd.Refuse(2) // GetExternalIPAddress and the first add
	m := startMapper(t, Config{
		Discoverer: AtURLs(igd.URL(), netip.Addr{}),
		Initial:    messages.PortmapConfig{Listen: lanListen[:1], UPnP: true},
		Policy:     portmap.Policy{Lease: time.Hour, RetryInitial: 20 * time.Millisecond, RetryMax: time.Second},
	})
	waitFor(t, "both mapped after the refusal", func() bool { return len(igd.Mappings()) == 2 }, igd.Changed())
	waitFor(t, "the error alert", func() bool { return countAlerts[*messages.PortmapErrorAlert](m.log) >= 1 }, m.log.more)
	for _, al := range m.log.all() {
		if e, ok := al.(*messages.PortmapErrorAlert); ok && (e.MapType != portmap.UPnP || e.Mapping < 0) {
			t.Fatalf("error alert %+v", e)
		}
	}
}
