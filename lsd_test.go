package actorrent

import (
	"context"
	"net"
	"net/netip"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/supervisor"
)

// The LSD tests give each session a multicast group port of the test's
// own: BEP 14's 6771 is host-wide, and other test processes with the same
// torrents would find these sessions (and these theirs). The sessions
// announce every 2 s (local_service_announce_interval) so that no test
// waits on a first announce it might have missed.

// lsdTestGroup is BEP 14's group at a UDP port free now.
func lsdTestGroup(t *testing.T) netip.AddrPort {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return netip.AddrPortFrom(netip.MustParseAddr("239.192.152.143"), c.LocalAddr().(*net.UDPAddr).AddrPort().Port())
}

// lsdSession starts a session with LSD on in group, and a log of its
// alerts.
func lsdSession(t *testing.T, group netip.AddrPort, opts ...Option) (*Session, *alertLog) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	settings := testSettings()
	settings.SetBool(EnableLSD, true)
	settings.SetInt(LocalServiceAnnounceInterval, 2)
	opts = append(opts, func(o *sessionOptions) { o.lsdGroup = group })
	s, err := NewSession(ctx, settings, opts...)
	if err != nil {
		t.Fatal(err)
	}
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
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s, log
}

// lsdPeerFrom waits for an lsd_peer alert of ih naming addr.
func lsdPeerFrom(ctx context.Context, t *testing.T, log *alertLog, ih InfoHash, addr string) {
	t.Helper()
	log.wait(ctx, t, "lsd_peer from "+addr, func(a Alert) bool {
		p, ok := a.(LSDPeerAlert)
		return ok && p.InfoHash == ih && p.Endpoint == addr
	})
}

// lsdSwarm seeds a torrent in seeder and downloads it in leecher, which
// know nothing of each other but the LSD group (no tracker, no DHT, no
// connect_peer), and checks the lsd_peer alert on the leecher's side and
// the download byte for byte.
func lsdSwarm(ctx context.Context, t *testing.T, seeder, leecher *Session, leecherLog *alertLog) *TorrentInfo {
	t.Helper()
	src, dst := t.TempDir(), t.TempDir()
	writePayload(t, src, map[string]int64{"lsd.bin": 2<<20 + 99}, 14)
	ti := mustCreate(t, filepath.Join(src, "lsd.bin"))
	hs, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, hs, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	hl, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lsdPeerFrom(ctx, t, leecherLog, ti.InfoHash(), addrs[0])
	waitFor(ctx, t, hl, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameFile(filepath.Join(src, "lsd.bin"), filepath.Join(dst, "lsd.bin")); err != nil {
		t.Fatal(err)
	}
	return ti
}

// Two of our sessions on one host find each other through LSD alone and
// the download completes.
func TestLSDTwoSessionsFindEachOther(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	group := lsdTestGroup(t)
	seeder, _ := lsdSession(t, group)
	leecher, leecherLog := lsdSession(t, group)
	lsdSwarm(ctx, t, seeder, leecher, leecherLog)
}

// The LSD actor fails (on the torrents the session gives it, or in its
// reader, which hears the session's own announce first), is restarted
// after its backoff, opens its socket again and announces again: a
// session started after the failure finds the seeder through LSD and
// downloads from it.
func TestFaultLSDRestartsAndAnnouncesAgain(t *testing.T) {
	for _, c := range []faultCase{
		// The first LSDTorrents (the session's empty list, when the actor
		// is ready) comes before the test subscribes to alerts; the
		// second is the added torrent.
		{"receive", supervisor.Rule{Message: "LSDTorrents", Nth: 2}},
		{"reader", supervisor.Rule{Site: supervisor.SiteReader, Nth: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			c.rule.Kind, c.rule.Action = supervisor.KindLSD, supervisor.ActionPanic
			group := lsdTestGroup(t)
			seeder, seederLog := lsdSession(t, group, WithFaults(supervisor.Plan{Rules: []supervisor.Rule{c.rule}}))
			// A torrent for the fault to happen on: the actor is given it,
			// announces it and hears its own announce.
			src := t.TempDir()
			writePayload(t, src, map[string]int64{"warm.bin": 100 << 10}, 3)
			warm := mustCreate(t, filepath.Join(src, "warm.bin"))
			if _, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: warm, SavePath: src}); err != nil {
				t.Fatal(err)
			}
			al := seederLog.wait(ctx, t, "actor_failed of lsd", func(a Alert) bool {
				f, ok := a.(ActorFailedAlert)
				return ok && f.Kind == string(supervisor.KindLSD)
			}).(ActorFailedAlert)
			if al.Directive != "restart" || !al.Injected {
				t.Fatalf("actor_failed = %+v", al)
			}
			leecher, leecherLog := lsdSession(t, group)
			lsdSwarm(ctx, t, seeder, leecher, leecherLog)
		})
	}
}

// enable_lsd is applied live: a session that turned LSD off and on again
// is found; one that moves its listen port announces the new one.
func TestLSDSettingsLive(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	group := lsdTestGroup(t)
	seeder, _ := lsdSession(t, group)
	apply := func(f func(*SettingsPack)) {
		t.Helper()
		var p SettingsPack
		f(&p)
		if err := seeder.ApplySettings(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	apply(func(p *SettingsPack) { p.SetBool(EnableLSD, false) })
	apply(func(p *SettingsPack) { p.SetBool(EnableLSD, true) })
	leecher, leecherLog := lsdSession(t, group)
	ti := lsdSwarm(ctx, t, seeder, leecher, leecherLog)

	old, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	port, err := interop.FreePort("tcp4")
	if err != nil {
		t.Fatal(err)
	}
	apply(func(p *SettingsPack) { p.SetStr(ListenInterfaces, "127.0.0.1:"+strconv.Itoa(port)) })
	now, err := seeder.ListenAddrs(ctx)
	if err != nil || len(now) != 1 || now[0] == old[0] {
		t.Fatalf("listen addresses %v (%v), were %v", now, err, old)
	}
	lsdPeerFrom(ctx, t, leecherLog, ti.InfoHash(), now[0])
}
