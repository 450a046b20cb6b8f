package actorrent

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"testing"
	"time"
)

// everythingGlobal maps every address to the global class.
func everythingGlobal(t *testing.T) *IPFilter {
	t.Helper()
	f := &IPFilter{}
	global := PeerClassMask(GlobalPeerClassID)
	if err := f.AddRule(netip.MustParseAddr("0.0.0.0"), netip.MustParseAddr("255.255.255.255"), global); err != nil {
		t.Fatal(err)
	}
	if err := f.AddRule(netip.IPv6Unspecified(), netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), global); err != nil {
		t.Fatal(err)
	}
	return f
}

// The peer-class calls: the built-in classes as libtorrent makes them, a
// class created, set, read and deleted, the settings that are the built-in
// classes' limits, and both filters.
func TestPeerClassAPI(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p := testSettings()
	p.SetInt(UploadRateLimit, 50_000)
	s := newTestSessionWith(t, p)

	for _, tc := range []struct {
		id   PeerClassID
		want PeerClass
	}{
		{GlobalPeerClassID, PeerClass{Label: "global", UploadLimit: 50_000, UploadPriority: 1, DownloadPriority: 1, ConnectionLimitFactor: 100}},
		{TCPPeerClassID, PeerClass{Label: "tcp", UploadPriority: 1, DownloadPriority: 1, ConnectionLimitFactor: 100}},
		{LocalPeerClassID, PeerClass{Label: "local", UploadPriority: 1, DownloadPriority: 1, ConnectionLimitFactor: 150, IgnoreUnchokeSlots: true}},
	} {
		if got, err := s.GetPeerClass(ctx, tc.id); err != nil || got != tc.want {
			t.Errorf("GetPeerClass(%d) = %+v, %v; want %+v", tc.id, got, err, tc.want)
		}
	}

	id, err := s.CreatePeerClass(ctx, "slow")
	if err != nil || id <= LocalPeerClassID {
		t.Fatalf("CreatePeerClass = %d, %v", id, err)
	}
	want := PeerClass{Label: "slow", UploadLimit: 10_000, DownloadLimit: 10, UploadPriority: 255, DownloadPriority: 2, ConnectionLimitFactor: 80}
	set := want
	set.DownloadLimit, set.UploadPriority = 3, 1000 // 3 B/s becomes 10; priorities stop at 255
	if err := s.SetPeerClass(ctx, id, set); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetPeerClass(ctx, id); err != nil || got != want {
		t.Errorf("GetPeerClass = %+v, %v; want %+v", got, err, want)
	}
	if err := s.DeletePeerClass(ctx, LocalPeerClassID); !errors.Is(err, ErrBuiltinPeerClass) {
		t.Errorf("DeletePeerClass(local) = %v, want ErrBuiltinPeerClass", err)
	}
	if err := s.DeletePeerClass(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetPeerClass(ctx, id); !errors.Is(err, ErrUnknownPeerClass) {
		t.Errorf("GetPeerClass of a deleted class = %v, want ErrUnknownPeerClass", err)
	}
	if err := s.SetPeerClass(ctx, 31, want); !errors.Is(err, ErrUnknownPeerClass) {
		t.Errorf("SetPeerClass(31) = %v, want ErrUnknownPeerClass", err)
	}

	var q SettingsPack
	q.SetInt(DownloadRateLimit, 70_000)
	q.SetInt(LocalUploadRateLimit, 9_000)
	if err := s.ApplySettings(ctx, q); err != nil {
		t.Fatal(err)
	}
	g, _ := s.GetPeerClass(ctx, GlobalPeerClassID)
	l, _ := s.GetPeerClass(ctx, LocalPeerClassID)
	if g.UploadLimit != 50_000 || g.DownloadLimit != 70_000 || l.UploadLimit != 9_000 {
		t.Errorf("after ApplySettings: global %d/%d local up %d, want 50000/70000 and 9000", g.UploadLimit, g.DownloadLimit, l.UploadLimit)
	}

	lo := netip.MustParseAddr("127.0.0.1")
	f, err := s.GetPeerClassFilter(ctx)
	if err != nil || f.Access(lo) != PeerClassMask(LocalPeerClassID) {
		t.Errorf("default filter: 127.0.0.1 in %b, %v; want the local class", f.Access(lo), err)
	}
	if err := s.SetPeerClassFilter(ctx, everythingGlobal(t)); err != nil {
		t.Fatal(err)
	}
	f, _ = s.GetPeerClassFilter(ctx)
	if v4, v6 := f.Export(); len(v4) != 1 || len(v6) != 1 || v4[0].Flags != 1 || v6[0].Flags != 1 {
		t.Errorf("filter read back as %+v %+v, want everything in the global class", v4, v6)
	}
	if err := s.SetPeerClassFilter(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if f, _ = s.GetPeerClassFilter(ctx); !f.Empty() {
		t.Error("a nil class filter did not put every address in no class")
	}

	tf, err := s.GetPeerClassTypeFilter(ctx)
	if err != nil || tf != DefaultPeerClassTypeFilter() {
		t.Errorf("type filter %+v, %v; want the default", tf, err)
	}
	tf.Disallow(TCPSocket, GlobalPeerClassID)
	if err := s.SetPeerClassTypeFilter(ctx, tf); err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetPeerClassTypeFilter(ctx)
	if m := got.Apply(TCPSocket, PeerClassMask(GlobalPeerClassID)); m != PeerClassMask(TCPPeerClassID) {
		t.Errorf("type filter read back applies %b to a global TCP peer, want the tcp class only", m)
	}
}

// Rate limits hold transfers between two sessions on 127.0.0.1, whichever
// way they are set: the torrent's own limits (which apply to every peer),
// or the session's once loopback peers are in the global class. The check
// is an upper bound only (bytes moved can be no more than the limit
// allows, however slow the machine), so it cannot fail by being slow;
// make bench measures accuracy.
func TestRateLimitsHoldLoopbackTransfers(t *testing.T) {
	const (
		rate   = 100_000
		target = 2 * rate // bytes watched: about two seconds' worth
	)
	tests := []struct {
		name           string
		seeder, leech  func(*SettingsPack)
		seedParams     func(*AddTorrentParams)
		afterAdd       func(ctx context.Context, t *testing.T, lh TorrentHandle)
		globalOnSeeder bool // map every address to the global class in the seeder
	}{
		{
			name:       "the seeder's torrent upload limit",
			seedParams: func(p *AddTorrentParams) { p.UploadLimit = rate },
		},
		{
			name: "the leecher's torrent download limit",
			afterAdd: func(ctx context.Context, t *testing.T, lh TorrentHandle) {
				if err := lh.SetDownloadLimit(ctx, rate); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name:           "the seeder's upload_rate_limit, loopback in the global class",
			seeder:         func(p *SettingsPack) { p.SetInt(UploadRateLimit, rate) },
			globalOnSeeder: true,
		},
		{
			name: "the leecher's download_rate_limit without ignore_limits_on_local_network",
			leech: func(p *SettingsPack) {
				p.SetInt(DownloadRateLimit, rate)
				p.SetBool(IgnoreLimitsOnLocalNetwork, false)
			},
		},
	}
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"pay/a.bin": 1 << 20}, 7)
	ti, err := CreateTorrent(filepath.Join(src, "pay"), CreateTorrentOptions{PieceSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			sp, lp := testSettings(), testSettings()
			if tc.seeder != nil {
				tc.seeder(&sp)
			}
			if tc.leech != nil {
				tc.leech(&lp)
			}
			seeder, leecher := newTestSessionWith(t, sp), newTestSessionWith(t, lp)
			if tc.globalOnSeeder {
				if err := seeder.SetPeerClassFilter(ctx, everythingGlobal(t)); err != nil {
					t.Fatal(err)
				}
			}
			params := AddTorrentParams{TI: ti, SavePath: src}
			if tc.seedParams != nil {
				tc.seedParams(&params)
			}
			sh, err := seeder.AddTorrent(ctx, params)
			if err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, sh, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
			lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			if tc.afterAdd != nil {
				tc.afterAdd(ctx, t, lh)
			}
			addrs, err := seeder.ListenAddrs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			if err := lh.ConnectPeer(ctx, addrs[0]); err != nil {
				t.Fatal(err)
			}
			// Every status seen on the way to target must be within the
			// bound for the time elapsed when it was asked for: an upper
			// bound only, so a slow machine cannot fail it, and the wait
			// ends on the bytes arriving, not on a guessed duration.
			var over error
			st := waitFor(ctx, t, lh, "payload past the target", func(s TorrentStatus) bool {
				elapsed := time.Since(start)
				if bound := int64(float64(rate)*1.2*elapsed.Seconds()) + 64<<10; s.TotalPayloadDownload > bound && over == nil {
					over = fmt.Errorf("moved %d bytes in %v through a %d B/s limit, more than %d", s.TotalPayloadDownload, elapsed, rate, bound)
				}
				return s.TotalPayloadDownload >= target || over != nil
			})
			t.Logf("%d payload bytes in %v", st.TotalPayloadDownload, time.Since(start))
			if over != nil {
				t.Error(over)
			}
		})
	}
}
