package actorrent_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/actorrent/actorrent"
)

// Settings change while the session runs: the names are libtorrent's, an
// invalid value changes nothing, and GetSettings reads what is in force.
// Here the session gets a global upload limit and two download slots for
// its auto-managed torrents.
func ExampleSession_ApplySettings() {
	ctx := context.Background()
	p := actorrent.DefaultSettings()
	p.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	s, err := actorrent.NewSession(ctx, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close(ctx)

	var change actorrent.SettingsPack
	change.SetInt(actorrent.UploadRateLimit, 2_000_000) // bytes a second, the global peer class
	change.SetInt(actorrent.ActiveDownloads, 2)
	if err := s.ApplySettings(ctx, change); err != nil {
		fmt.Println(err)
		return
	}
	var bad actorrent.SettingsPack
	bad.SetInt(actorrent.ChokingAlgorithm, 9)
	err = s.ApplySettings(ctx, bad)
	fmt.Println("invalid:", errors.Is(err, actorrent.ErrInvalidSetting))

	cur, _ := s.GetSettings(ctx)
	fmt.Println("upload_rate_limit:", cur.Int(actorrent.UploadRateLimit))
	fmt.Println("active_downloads:", cur.Int(actorrent.ActiveDownloads))
	fmt.Println("choking_algorithm:", cur.Int(actorrent.ChokingAlgorithm))
	// Output:
	// invalid: true
	// upload_rate_limit: 2000000
	// active_downloads: 2
	// choking_algorithm: 0
}

// A peer class of its own: peers from one network get their own upload
// limit. The class filter maps addresses to classes (the built-in global
// class everywhere, here a range in the new class as well).
func ExampleSession_CreatePeerClass() {
	ctx := context.Background()
	p := actorrent.DefaultSettings()
	p.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	s, err := actorrent.NewSession(ctx, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close(ctx)

	id, err := s.CreatePeerClass(ctx, "office")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, _ := s.GetPeerClass(ctx, id)
	c.UploadLimit = 500_000
	if err := s.SetPeerClass(ctx, id, c); err != nil {
		fmt.Println(err)
		return
	}
	f := &actorrent.IPFilter{}
	everyone := actorrent.PeerClassMask(actorrent.GlobalPeerClassID)
	_ = f.AddRule(netip.MustParseAddr("0.0.0.0"), netip.MustParseAddr("255.255.255.255"), everyone)
	_ = f.AddRule(netip.MustParseAddr("10.1.0.0"), netip.MustParseAddr("10.1.255.255"),
		actorrent.PeerClassMask(actorrent.GlobalPeerClassID, id))
	if err := s.SetPeerClassFilter(ctx, f); err != nil {
		fmt.Println(err)
		return
	}
	c, _ = s.GetPeerClass(ctx, id)
	fmt.Println(c.Label, c.UploadLimit)
	got, _ := s.GetPeerClassFilter(ctx)
	fmt.Println(got.Access(netip.MustParseAddr("10.1.2.3")) == actorrent.PeerClassMask(actorrent.GlobalPeerClassID, id))
	// Output:
	// office 500000
	// true
}

// A service adds a torrent and follows it through Subscribe: here a file
// it already has, which the check finds whole, so the torrent seeds.
func ExampleSession_Subscribe() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello, swarm\n"), 0o644)
	ti, err := actorrent.CreateTorrent(filepath.Join(dir, "hello.txt"), actorrent.CreateTorrentOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := actorrent.DefaultSettings()
	p.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	p.SetInt(actorrent.AlertMask, int(actorrent.CategoryError|actorrent.CategoryStatus))
	s, err := actorrent.NewSession(ctx, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close(ctx)
	alerts, err := s.Subscribe(ctx, actorrent.CategoryError|actorrent.CategoryStatus) // before adding: nothing is missed
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := s.AddTorrent(ctx, actorrent.AddTorrentParams{TI: ti, SavePath: dir}); err != nil {
		fmt.Println(err)
		return
	}
	for a := range alerts {
		if sc, ok := a.(actorrent.StateChangedAlert); ok && sc.State == actorrent.Seeding {
			st, _ := sc.Handle.Status(ctx)
			fmt.Println(st.Name, actorrent.StateName(st.State), st.TotalWanted, "bytes")
			return
		}
	}
	// Output:
	// hello.txt seeding 13 bytes
}
