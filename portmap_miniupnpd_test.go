package actorrent

import (
	"context"
	"net/http"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/portmapactor"
)

// The real IGD: Debian's miniupnpd (package miniupnpd-nftables, with
// nftables) in a network namespace the test makes, as a home router
// would be: wan0 at 5.6.7.8 is its external side, lan0 at 10.99.0.1 its
// LAN, and lan1 at 10.99.0.2 is us, with our default route through it.
// The session finds it as it would at home, with the default
// discoverer: SSDP multicast for UPnP (IGDv2), the default route's
// gateway for NAT-PMP.

// miniupnpdNet makes the namespace's network and starts miniupnpd; it is
// killed (by its PID) when the test ends.
func miniupnpdNet(t *testing.T) {
	t.Helper()
	for _, bin := range []string{"miniupnpd", "nft", "ip"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("needs %s (Debian packages miniupnpd-nftables and nftables; make deps installs them): %v", bin, err)
		}
	}
	run := func(stdin string, args ...string) {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Stdin = strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("", "ip", "link", "add", "wan0", "type", "veth", "peer", "name", "wan1")
	run("", "ip", "link", "add", "lan0", "type", "veth", "peer", "name", "lan1")
	run("", "ip", "addr", "add", "5.6.7.8/24", "dev", "wan0")
	run("", "ip", "addr", "add", "10.99.0.1/24", "dev", "lan0")
	run("", "ip", "addr", "add", "10.99.0.2/24", "dev", "lan1")
	for _, ifc := range []string{"wan0", "wan1", "lan0", "lan1"} {
		run("", "ip", "link", "set", ifc, "up")
	}
	run("", "ip", "route", "add", "default", "via", "10.99.0.1", "dev", "lan1")
	// The chains miniupnpd puts its rules in (its defaults: table inet
	// filter); without them every mapping fails.
	run(`table inet filter {
  chain miniupnpd {}
  chain prerouting_miniupnpd {}
  chain postrouting_miniupnpd {}
  chain forward { type filter hook forward priority 0; policy accept; jump miniupnpd; }
  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
  chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; }
}
`, "nft", "-f", "-")
	var log strings.Builder
	cmd := exec.Command("miniupnpd", "-d", "-f", "/dev/null", "-4", "-i", "wan0", "-o", "5.6.7.8", "-a", "lan0",
		"-p", "5000", "-N", "-A", "allow 1024-65535 0.0.0.0/0 1024-65535")
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("miniupnpd:\n%s", log.String())
		}
	})
	// Ready once its HTTP server answers (bounded: 100 tries).
	client := &http.Client{Timeout: time.Second}
	for i := 0; ; i++ {
		resp, err := client.Get("http://10.99.0.1:5000/rootDesc.xml")
		if err == nil {
			resp.Body.Close()
			return
		}
		if i == 100 {
			t.Fatalf("miniupnpd does not answer: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPortMappingWithMiniupnpd(t *testing.T) {
	if !interop.InOwnNetns(t) {
		return
	}
	miniupnpdNet(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	set := testSettings()
	set.SetStr(ListenInterfaces, "10.99.0.2:0")
	set.SetBool(EnableUPnP, true)
	set.SetBool(EnableNATPMP, true)
	// The default discoverer: the namespace's network.
	s := newTestSessionWith(t, set, withPortmapDiscoverer(portmapactor.Default))
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
	addrs, err := s.ListenAddrs(ctx)
	if err != nil || len(addrs) == 0 {
		t.Fatalf("listen addresses %v: %v", addrs, err)
	}
	port := netip.MustParseAddrPort(addrs[0]).Port()
	// The listen port, TCP and UDP, by both transports.
	for _, tr := range []PortmapTransport{PortmapUPnP, PortmapNATPMP} {
		for _, proto := range []PortmapProtocol{PortmapTCP, PortmapUDP} {
			log.wait(ctx, t, tr.String()+" "+proto.String()+" mapping of the listen port", func(a Alert) bool {
				p, ok := a.(PortmapAlert)
				return ok && p.MapType == tr && p.Protocol == proto && p.ExternalPort == int(port)
			})
		}
	}
	log.wait(ctx, t, "external_ip 5.6.7.8", func(a Alert) bool {
		e, ok := a.(ExternalIPAlert)
		return ok && e.ExternalAddress == netip.MustParseAddr("5.6.7.8")
	})
	out, err := exec.Command("nft", "list", "chain", "inet", "filter", "prerouting_miniupnpd").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "dnat") || !strings.Contains(string(out), strconv.Itoa(int(port))) {
		t.Fatalf("miniupnpd's rules (%v):\n%s", err, out)
	}
	// A mapping of the user's, added and deleted.
	idx, err := s.AddPortMapping(ctx, PortmapUDP, 7777, 7777)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range []PortmapTransport{PortmapUPnP, PortmapNATPMP} {
		log.wait(ctx, t, tr.String()+" mapping 7777", func(a Alert) bool {
			p, ok := a.(PortmapAlert)
			return ok && p.MapType == tr && p.Mapping == idx && p.ExternalPort == 7777
		})
	}
	if err := s.DeletePortMapping(ctx, idx); err != nil {
		t.Fatal(err)
	}
	for _, tr := range []PortmapTransport{PortmapUPnP, PortmapNATPMP} {
		log.wait(ctx, t, tr.String()+" delete of 7777", func(a Alert) bool {
			p, ok := a.(PortmapLogAlert)
			return ok && p.MapType == tr && strings.HasPrefix(p.Msg, "deleted mapping "+strconv.Itoa(idx)+" ")
		})
	}
	if n := log.count(func(a Alert) bool { _, ok := a.(PortmapErrorAlert); return ok }); n != 0 {
		t.Errorf("%d portmap_error alerts", n)
	}
}
