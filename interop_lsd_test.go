package actorrent

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// The LSD interop tests run on BEP 14's own group, 239.192.152.143:6771,
// each in a network namespace of its own (interop.InOwnNetns): libtorrent 2.0.8
// and our session, both with enable_lsd and announcing every 2 s, know
// nothing of each other (no tracker, no DHT, no connect_peer) and find
// each other through LSD alone.

// lsdDefaultSession is a session on BEP 14's group, announcing every 2 s.
func lsdDefaultSession(t *testing.T) (*Session, *alertLog) {
	t.Helper()
	return lsdSession(t, netip.AddrPort{}) // zero: the session's default, lsd.Group
}

// lsdPayload writes a payload and its .torrent file.
func lsdPayload(t *testing.T) (src, path string, ti *TorrentInfo) {
	t.Helper()
	src = t.TempDir()
	writePayload(t, src, map[string]int64{"lsd.bin": 3<<20 + 1234}, 21)
	ti = mustCreate(t, filepath.Join(src, "lsd.bin"))
	b, err := ti.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "lsd.torrent")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return src, path, ti
}

// libtorrent learns of our seeder through LSD and downloads from it: our
// seeder makes no outgoing connection (enable_outgoing_tcp off), so the
// one libtorrent downloads over is its own, to the port we announced.
func TestInteropLSDLibtorrentFindsUs(t *testing.T) {
	needInterop(t)
	if !interop.InOwnNetns(t) {
		return
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	src, path, ti := lsdPayload(t)
	s, _ := lsdDefaultSession(t)
	var noOut SettingsPack
	noOut.SetBool(EnableOutgoingTCP, false)
	if err := s.ApplySettings(ctx, noOut); err != nil {
		t.Fatal(err)
	}
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(addrs[0], ":")
	dst := t.TempDir()
	dl, err := interop.StartDownloader(ctx, interop.Options{Torrent: path, Save: dst, LSD: true, Timeout: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "downloader", dl)
	if _, err := dl.WaitFinished(ctx); err != nil {
		t.Fatal(err)
	}
	checkSameTree(t, filepath.Join(src, "lsd.bin"), filepath.Join(dst, "lsd.bin"))
	found := false
	for _, e := range dl.Events() {
		found = found || (e.Event == "alert" && e.Type == "lsd_peer" && strings.Contains(e.Message, "127.0.0.1:"+port))
	}
	if !found {
		t.Errorf("libtorrent posted no lsd_peer for us at port %s:\n%s", port, dl.Log())
	}
}

// We learn of a libtorrent seeder through LSD and download from it.
func TestInteropLSDWeFindLibtorrent(t *testing.T) {
	needInterop(t)
	if !interop.InOwnNetns(t) {
		return
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	src, path, ti := lsdPayload(t)
	seeder := libtorrentSeeding(ctx, t, interop.Options{Torrent: path, Save: src, LSD: true})
	s, log := lsdDefaultSession(t)
	dst := t.TempDir()
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	lsdPeerFrom(ctx, t, log, ti.InfoHash(), "127.0.0.1:"+strconv.Itoa(seeder.Port()))
	waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, filepath.Join(src, "lsd.bin"), filepath.Join(dst, "lsd.bin"))
}

// Two of our sessions find each other on BEP 14's own group (the default
// path, not a test's port) and the download completes.
func TestLSDTwoSessionsOnTheDefaultGroup(t *testing.T) {
	if !interop.InOwnNetns(t) {
		return
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	seeder, _ := lsdDefaultSession(t)
	leecher, leecherLog := lsdDefaultSession(t)
	lsdSwarm(ctx, t, seeder, leecher, leecherLog)
}
