package actorrent

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/resume"
)

// The facade's filters: rules, lookups, exports, copies, nil receivers,
// and a gzipped blocklist in the formats users have.
func TestIPFilterValues(t *testing.T) {
	var f IPFilter
	if !f.Empty() || f.Access(netip.MustParseAddr("10.0.0.1")) != 0 {
		t.Fatal("the zero IPFilter blocks something")
	}
	if err := f.AddRule(netip.MustParseAddr("10.0.0.9"), netip.MustParseAddr("10.0.0.1"), IPFilterBlocked); !errors.Is(err, ErrBadRange) {
		t.Fatalf("reversed range: %v", err)
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	fmt.Fprint(w, "# a comment\nsome org:10.0.0.0-10.0.0.255\n192.168.1.0 - 192.168.1.255 , 000 , dat line\n"+
		"192.168.2.0 - 192.168.2.255 , 200 , allowed level\n2001:db8::/32\nnot a range\n")
	w.Close()
	st, err := f.LoadBlocklist(&gz)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rules != 3 || st.Ignored != 1 || st.Skipped != 1 || st.FirstSkipped != 6 {
		t.Fatalf("stats %+v", st)
	}
	for addr, want := range map[string]uint32{
		"10.0.0.7": IPFilterBlocked, "::ffff:10.0.0.7": IPFilterBlocked, "192.168.1.1": IPFilterBlocked,
		"192.168.2.1": 0, "2001:db8::1": IPFilterBlocked, "2001:db9::1": 0, "10.0.1.0": 0,
	} {
		if got := f.Access(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Access(%s) = %d, want %d", addr, got, want)
		}
	}
	c := f.Clone()
	if err := c.AddRule(netip.MustParseAddr("10.0.0.0"), netip.MustParseAddr("10.0.0.255"), 0); err != nil {
		t.Fatal(err)
	}
	if f.Access(netip.MustParseAddr("10.0.0.7")) != IPFilterBlocked || c.Access(netip.MustParseAddr("10.0.0.7")) != 0 {
		t.Fatal("a clone shares rules with its original")
	}
	v4, v6 := f.Export()
	if len(v4) != 5 || len(v6) != 3 || v4[1].First != netip.MustParseAddr("10.0.0.0") {
		t.Fatalf("export %v %v", v4, v6)
	}
	var nilIP *IPFilter
	var nilPort *PortFilter
	if !nilIP.Empty() || nilIP.Access(netip.MustParseAddr("1.2.3.4")) != 0 || !nilIP.Clone().Empty() ||
		!nilPort.Empty() || nilPort.Access(25) != 0 || len(nilPort.Export()) != 1 {
		t.Fatal("nil filters do not read as empty ones")
	}
	var p PortFilter
	if err := p.AddRule(20, 25, PortFilterBlocked); err != nil {
		t.Fatal(err)
	}
	if p.Access(25) != PortFilterBlocked || p.Access(26) != 0 || len(p.Export()) != 3 {
		t.Fatalf("port filter: %v", p.Export())
	}
}

// Set and Get copy: later changes to the filter set do not reach the
// session, and a filter got is the caller's to change.
func TestSetGetFilters(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, _ := filterSession(t, nil)
	f := blockingFilter(t, [2]string{"10.0.0.0", "10.255.255.255"}, one("2001:db8::1"))
	if err := s.SetIPFilter(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := f.AddRule(netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.1"), IPFilterBlocked); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetIPFilter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v4, v6 := got.Export()
	if got.Access(netip.MustParseAddr("10.1.2.3")) != IPFilterBlocked || got.Access(netip.MustParseAddr("192.0.2.1")) != 0 ||
		len(v4) != 3 || len(v6) != 3 {
		t.Fatalf("GetIPFilter: %v %v", v4, v6)
	}
	var pf PortFilter
	if err := pf.AddRule(25, 25, PortFilterBlocked); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPortFilter(ctx, &pf); err != nil {
		t.Fatal(err)
	}
	gp, err := s.GetPortFilter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gp.Export(), pf.Export()) {
		t.Fatalf("GetPortFilter %v, want %v", gp.Export(), pf.Export())
	}
	if err := s.SetIPFilter(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetIPFilter(ctx); err != nil || !got.Empty() {
		t.Fatalf("after SetIPFilter(nil): %v, %v", got, err)
	}
}

// Peers from a tracker that the filter blocks are never dialled nor
// listed, with peer_blocked (ip_filter) each; a torrent added without
// FlagApplyIPFilter is not filtered. The flag is saved in resume data.
func TestIPFilterTrackerPeers(t *testing.T) {
	for _, apply := range []bool{true, false} {
		t.Run(fmt.Sprintf("apply=%v", apply), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			ti := filterTorrent(t)
			blocked, allowed := newFakePeer(t, "127.0.0.2", ti.InfoHash()), newFakePeer(t, "127.0.0.3", ti.InfoHash())
			url, _ := trackerAt(t, "127.0.0.1", blocked.addr, allowed.addr)
			s, log := filterSession(t, nil)
			if err := s.SetIPFilter(ctx, blockingFilter(t, one("127.0.0.2"))); err != nil {
				t.Fatal(err)
			}
			var flags AddTorrentFlags
			if apply {
				flags = FlagApplyIPFilter
			}
			h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), Flags: flags, Trackers: [][]string{{url}}})
			if err != nil {
				t.Fatal(err)
			}
			connectedTo(ctx, t, log, h, allowed.addr)
			if !apply {
				connectedTo(ctx, t, log, h, blocked.addr)
				if n := log.count(func(a Alert) bool { _, ok := a.(PeerBlockedAlert); return ok }); n != 0 {
					t.Fatalf("%d peer_blocked alerts in a torrent without the flag", n)
				}
			} else {
				b := blockedAlert(ctx, t, log, blocked.addr)
				if b.Reason != PeerBlockedIPFilter || b.Handle != h || b.Category() != CategoryIPBlock || b.Type() != 54 ||
					!strings.Contains(b.Message(), "blocked peer [ip_filter]") {
					t.Fatalf("peer_blocked %+v: %s", b, b.Message())
				}
				// The tracker's peers are listed together, so the list
				// holds the allowed one alone: the blocked one never
				// enters it, and the list dials nothing else.
				if n := listPeers(ctx, t, h); n != 1 || blocked.wasDialled() {
					t.Fatalf("list_peers %d, blocked peer dialled %v", n, blocked.wasDialled())
				}
			}
			if err := h.SaveResumeData(ctx, 0); err != nil {
				t.Fatal(err)
			}
			rd := log.wait(ctx, t, "save_resume_data", func(a Alert) bool { _, ok := a.(SaveResumeDataAlert); return ok })
			d, err := resume.Decode(rd.(SaveResumeDataAlert).ResumeData)
			if err != nil || d.ApplyIPFilter != apply {
				t.Fatalf("resume data apply_ip_filter %v (%v), want %v", d.ApplyIPFilter, err, apply)
			}
		})
	}
}

// An incoming connection from a blocked address is closed unanswered,
// with peer_blocked, by a torrent that applies the filter; another
// address, or a torrent without the flag, is answered. With
// enable_incoming_tcp off the session refuses every incoming connection
// with peer_blocked (tcp_disabled) and no torrent.
func TestIPFilterIncoming(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	filtered, open := filterTorrent(t), filterTorrent(t)
	s, log := filterSession(t, nil)
	if err := s.SetIPFilter(ctx, blockingFilter(t, one("127.0.0.4"))); err != nil {
		t.Fatal(err)
	}
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: filtered, SavePath: t.TempDir(), Flags: DefaultAddTorrentFlags})
	if err != nil {
		t.Fatal(err)
	}
	ho, err := s.AddTorrent(ctx, AddTorrentParams{TI: open, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	// DefaultAddTorrentFlags: the queue starts it.
	waitFor(ctx, t, h, "downloading", func(st TorrentStatus) bool { return st.State == Downloading && !st.Paused })
	waitFor(ctx, t, ho, "downloading", func(st TorrentStatus) bool { return st.State == Downloading })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	from, answered := handshakeFrom(t, "127.0.0.4", addrs[0], filtered.InfoHash())
	if answered {
		t.Fatal("a blocked address got a handshake")
	}
	if b := blockedAlert(ctx, t, log, from); b.Reason != PeerBlockedIPFilter || b.Handle != h {
		t.Fatalf("peer_blocked %+v", b)
	}
	if _, answered := handshakeFrom(t, "127.0.0.5", addrs[0], filtered.InfoHash()); !answered {
		t.Fatal("an allowed address got no handshake")
	}
	if _, answered := handshakeFrom(t, "127.0.0.4", addrs[0], open.InfoHash()); !answered {
		t.Fatal("a torrent without FlagApplyIPFilter refused a blocked address")
	}

	off, offLog := filterSession(t, func(p *SettingsPack) { p.SetBool(EnableIncomingTCP, false) })
	hoff, err := off.AddTorrent(ctx, AddTorrentParams{TI: open, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, hoff, "downloading", func(st TorrentStatus) bool { return st.State == Downloading })
	offAddrs, err := off.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	from, answered = handshakeFrom(t, "127.0.0.5", offAddrs[0], open.InfoHash())
	if answered {
		t.Fatal("enable_incoming_tcp off: the connection was answered")
	}
	b := blockedAlert(ctx, t, offLog, from)
	if b.Reason != PeerBlockedTCPDisabled || b.Handle.InfoHash() != (InfoHash{}) || b.Message() != "peer ("+from+") blocked peer [tcp_disabled]" {
		t.Fatalf("peer_blocked %+v: %s", b, b.Message())
	}
}

// ConnectPeer to a blocked address, or to a name that resolves to one,
// is refused with peer_blocked and never dialled.
func TestIPFilterConnectPeer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti := filterTorrent(t)
	blocked, byName, allowed := newFakePeer(t, "127.0.0.6", ti.InfoHash()), newFakePeer(t, "127.0.0.1", ti.InfoHash()),
		newFakePeer(t, "127.0.0.7", ti.InfoHash())
	s, log := filterSession(t, nil)
	f := blockingFilter(t, one("127.0.0.6"), one("127.0.0.1"), one("::1"))
	if err := s.SetIPFilter(ctx, f); err != nil {
		t.Fatal(err)
	}
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), Flags: FlagApplyIPFilter})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "downloading", func(st TorrentStatus) bool { return st.State == Downloading })
	for _, addr := range []string{blocked.addr, fmt.Sprintf("localhost:%d", byName.port()), allowed.addr} {
		if err := h.ConnectPeer(ctx, addr); err != nil {
			t.Fatal(err)
		}
	}
	if b := blockedAlert(ctx, t, log, blocked.addr); b.Reason != PeerBlockedIPFilter {
		t.Fatalf("peer_blocked %+v", b)
	}
	log.wait(ctx, t, "peer_blocked for localhost", func(a Alert) bool {
		b, ok := a.(PeerBlockedAlert)
		return ok && b.Reason == PeerBlockedIPFilter && strings.HasSuffix(b.Endpoint, fmt.Sprintf(":%d", byName.port()))
	})
	connectedTo(ctx, t, log, h, allowed.addr)
	if blocked.wasDialled() || byName.wasDialled() || listPeers(ctx, t, h) != 1 {
		t.Fatalf("dialled: blocked %v, by name %v; list_peers %d", blocked.wasDialled(), byName.wasDialled(), listPeers(ctx, t, h))
	}
}

// A filter set at runtime disconnects the connected peers it blocks
// (peer_blocked, then peer_disconnected with ErrBannedByIPFilter) and
// forgets them; the others stay.
func TestSetIPFilterDisconnects(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti := filterTorrent(t)
	doomed, kept := newFakePeer(t, "127.0.0.8", ti.InfoHash()), newFakePeer(t, "127.0.0.9", ti.InfoHash())
	s, log := filterSession(t, nil)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), Flags: FlagApplyIPFilter})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*fakePeer{doomed, kept} {
		if err := h.ConnectPeer(ctx, p.addr); err != nil {
			t.Fatal(err)
		}
		connectedTo(ctx, t, log, h, p.addr)
	}
	if err := s.SetIPFilter(ctx, blockingFilter(t, one("127.0.0.8"))); err != nil {
		t.Fatal(err)
	}
	doomed.waitClosed(ctx, t, "the blocked peer's connection to close")
	blockedAlert(ctx, t, log, doomed.addr)
	log.wait(ctx, t, "peer_disconnected (banned)", func(a Alert) bool {
		d, ok := a.(PeerDisconnectedAlert)
		return ok && d.Endpoint == doomed.addr && errors.Is(d.Error, ErrBannedByIPFilter)
	})
	st := waitFor(ctx, t, h, "one peer", func(st TorrentStatus) bool { return st.NumPeers == 1 })
	if st.ListPeers != 1 || len(kept.closed) != 0 {
		t.Fatalf("list_peers %d, kept peer closed %v", st.ListPeers, len(kept.closed) != 0)
	}
}

// The port filter applies to every torrent's outgoing connections:
// ConnectPeer to a blocked port is refused (peer_blocked, port_filter),
// and a filter set at runtime disconnects a peer on a port it blocks
// (ErrBannedByPortFilter).
func TestPortFilter(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti := filterTorrent(t)
	refused, later := newFakePeer(t, "127.0.0.10", ti.InfoHash()), newFakePeer(t, "127.0.0.11", ti.InfoHash())
	s, log := filterSession(t, nil)
	var pf PortFilter
	if err := pf.AddRule(refused.port(), refused.port(), PortFilterBlocked); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPortFilter(ctx, &pf); err != nil {
		t.Fatal(err)
	}
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()}) // no FlagApplyIPFilter
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "downloading", func(st TorrentStatus) bool { return st.State == Downloading })
	for _, p := range []*fakePeer{refused, later} {
		if err := h.ConnectPeer(ctx, p.addr); err != nil {
			t.Fatal(err)
		}
	}
	if b := blockedAlert(ctx, t, log, refused.addr); b.Reason != PeerBlockedPortFilter {
		t.Fatalf("peer_blocked %+v", b)
	}
	connectedTo(ctx, t, log, h, later.addr)
	if refused.wasDialled() {
		t.Fatal("a peer on a blocked port was dialled")
	}
	if err := pf.AddRule(later.port(), later.port(), PortFilterBlocked); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPortFilter(ctx, &pf); err != nil {
		t.Fatal(err)
	}
	later.waitClosed(ctx, t, "the peer on a newly blocked port to be closed")
	log.wait(ctx, t, "peer_disconnected (port)", func(a Alert) bool {
		d, ok := a.(PeerDisconnectedAlert)
		return ok && d.Endpoint == later.addr && errors.Is(d.Error, ErrBannedByPortFilter)
	})
	waitFor(ctx, t, h, "no peers", func(st TorrentStatus) bool { return st.NumPeers == 0 && st.ListPeers == 0 })
}

// apply_ip_filter_to_trackers: a torrent that applies the filter does not
// announce to a tracker it blocks, named by address or by host name
// (tracker_error with ErrBannedByIPFilter, and the tracker hears
// nothing); with the setting off it does.
func TestIPFilterTrackers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti := filterTorrent(t)
	byAddr, byAddrN := trackerAt(t, "127.0.0.12")
	byName, byNameN := trackerAt(t, "127.0.0.1")
	byName = strings.Replace(byName, "127.0.0.1", "localhost", 1)
	s, log := filterSession(t, func(p *SettingsPack) {
		p.SetBool(AnnounceToAllTiers, true)
		p.SetInt(MinAnnounceInterval, 0)
	})
	if err := s.SetIPFilter(ctx, blockingFilter(t, one("127.0.0.12"), one("127.0.0.1"), one("::1"))); err != nil {
		t.Fatal(err)
	}
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), Flags: FlagApplyIPFilter,
		Trackers: [][]string{{byAddr}, {byName}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{byAddr, byName} {
		log.wait(ctx, t, "tracker_error for "+u, func(a Alert) bool {
			e, ok := a.(TrackerErrorAlert)
			return ok && e.URL == u && errors.Is(e.Error, ErrBannedByIPFilter)
		})
	}
	if byAddrN.Load() != 0 || byNameN.Load() != 0 {
		t.Fatalf("blocked trackers heard %d and %d announces", byAddrN.Load(), byNameN.Load())
	}
	var p SettingsPack
	p.SetBool(ApplyIPFilterToTrackers, false)
	if err := s.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := h.ForceReannounce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{byAddr, byName} {
		log.wait(ctx, t, "tracker_reply from "+u, func(a Alert) bool {
			r, ok := a.(TrackerReplyAlert)
			return ok && r.URL == u
		})
	}
}
