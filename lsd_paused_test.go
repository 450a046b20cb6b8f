package actorrent

import (
	"context"
	"net"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/lsd"
)

// A paused torrent is not announced on LSD, as libtorrent's lsd_announce
// skips paused torrents; resumed, it is. The test listens on the group
// itself: a session's announces leave one socket in order, so the paused
// torrent, added before the started one, would be heard first if it were
// announced at all.
func TestLSDSkipsPausedTorrents(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	group := lsdTestGroup(t)
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Skipf("no loopback interface named lo: %v", err)
	}
	heard, err := net.ListenMulticastUDP("udp4", lo, net.UDPAddrFromAddrPort(group))
	if err != nil {
		t.Fatal(err)
	}
	defer heard.Close()
	s, _ := lsdSession(t, group)
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"paused.bin": 40000, "started.bin": 50000}, 21)
	paused, started := mustCreate(t, filepath.Join(src, "paused.bin")), mustCreate(t, filepath.Join(src, "started.bin"))
	hp, err := s.AddTorrent(ctx, AddTorrentParams{TI: paused, SavePath: src, Flags: FlagPaused})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTorrent(ctx, AddTorrentParams{TI: started, SavePath: src}); err != nil {
		t.Fatal(err)
	}
	// listen reads announces until one names want, and reports whether
	// one named other before (or with) it.
	listen := func(want, other InfoHash) bool {
		buf := make([]byte, 1500)
		for {
			_ = heard.SetReadDeadline(time.Now().Add(time.Second))
			n, err := heard.Read(buf)
			if err != nil {
				if ctx.Err() != nil {
					t.Fatalf("no LSD announce of %s heard", want)
				}
				continue // a second without announces: wait on, within the test's time
			}
			a, err := lsd.Parse(buf[:n])
			if err != nil {
				continue
			}
			seenOther := slices.Contains(a.InfoHashes, lsd.InfoHash(other))
			if slices.Contains(a.InfoHashes, lsd.InfoHash(want)) {
				return seenOther
			}
			if seenOther {
				return true
			}
		}
	}
	if listen(started.InfoHash(), paused.InfoHash()) {
		t.Fatal("the paused torrent was announced on LSD")
	}
	if err := hp.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	listen(paused.InfoHash(), InfoHash{}) // resumed, it is announced
}
