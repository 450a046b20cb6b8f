package actorrent

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/peeractor"
)

// libtorrentAlertCategories are libtorrent 1.0's categories by what() name,
// copied from its alert_types.hpp (../shared/reference/alerts.md), not from
// our code; ours (actor_failed, fault_injected) and 2.0's alerts_dropped as
// declared.
var libtorrentAlertCategories = map[string]AlertCategory{
	"torrent_added": CategoryStatus, "torrent_removed": CategoryStatus, "file_completed": CategoryProgress, "read_piece": CategoryStorage, "external_ip": CategoryStatus,
	"file_renamed": CategoryStorage, "file_rename_failed": CategoryStorage, "performance": CategoryPerformance,
	"state_changed": CategoryStatus, "tracker_error": CategoryTracker | CategoryError,
	"tracker_warning": CategoryTracker | CategoryError, "scrape_reply": CategoryTracker,
	"scrape_failed": CategoryTracker | CategoryError, "tracker_reply": CategoryTracker,
	"tracker_announce": CategoryTracker, "hash_failed": CategoryStatus, "peer_ban": CategoryPeer,
	"peer_error": CategoryPeer, "peer_connect": CategoryDebug, "peer_disconnected": CategoryDebug,
	"invalid_request": CategoryPeer, "torrent_finished": CategoryStatus, "piece_finished": CategoryProgress,
	"block_timeout": CategoryBlockProgress | CategoryPeer, "block_finished": CategoryBlockProgress,
	"block_downloading": CategoryBlockProgress, "unwanted_block": CategoryPeer, "storage_moved": CategoryStorage,
	"stats": CategoryStats, "session_stats": CategoryStats, "state_update": CategoryStatus,
	"dht_reply": CategoryTracker, "dht_announce": CategoryDHT, "dht_get_peers": CategoryDHT,
	"dht_bootstrap": CategoryDHT, "dht_error": CategoryError | CategoryDHT, "dht_stats": CategoryStats,
	"dht_immutable_item": CategoryError | CategoryDHT, "dht_mutable_item": CategoryError | CategoryDHT, "dht_put": CategoryDHT,
	"storage_moved_failed": CategoryStorage, "torrent_deleted": CategoryStorage,
	"torrent_delete_failed": CategoryStorage | CategoryError, "save_resume_data": CategoryStorage,
	"save_resume_data_failed": CategoryStorage | CategoryError, "torrent_paused": CategoryStatus,
	"torrent_resumed": CategoryStatus, "torrent_checked": CategoryStatus,
	"file_error": CategoryStatus | CategoryError | CategoryStorage, "metadata_failed": CategoryError,
	"metadata_received": CategoryStatus, "listen_failed": CategoryStatus | CategoryError,
	"listen_succeeded": CategoryStatus, "fastresume_rejected": CategoryStatus | CategoryError,
	"peer_blocked": CategoryIPBlock, "cache_flushed": CategoryStorage, "trackerid": CategoryStatus,
	"torrent_error": CategoryError | CategoryStatus, "incoming_connection": CategoryPeer,
	"lsd_peer": CategoryPeer, "lsd_error": CategoryError,
	"portmap_error": CategoryPortMapping | CategoryError, "portmap": CategoryPortMapping, "portmap_log": CategoryPortMapping,
	"add_torrent": CategoryStatus, "alerts_dropped": CategoryError,
	"actor_failed": CategoryError, "fault_injected": CategoryDebug,
	"peer_snubbed": CategoryPeer, "peer_unsnubbed": CategoryPeer,
}

// TestAlertCategoriesAreLibtorrents: every alert type is in libtorrent's
// categories, so a mask selects what it selects in libtorrent.
func TestAlertCategoriesAreLibtorrents(t *testing.T) {
	for _, a := range alertTypes {
		want, ok := libtorrentAlertCategories[a.What()]
		if !ok {
			t.Errorf("%T (%s) has no category in the test's table", a, a.What())
			continue
		}
		if got := a.Category(); got != want {
			t.Errorf("%s: Category() = %#x, libtorrent's is %#x", a.What(), got, want)
		}
	}
}

// sessionWithMask is a test session whose alert_mask is mask.
func sessionWithMask(t *testing.T, mask AlertCategory) *Session {
	p := testSettings()
	p.SetInt(AlertMask, int(mask))
	return newTestSessionWith(t, p)
}

// alertsUntilResumeData asks h for resume data and returns every alert
// popped up to its answer (posted whatever the mask): all the alerts
// posted before the request are among them, as they reach the alert
// actor first.
func alertsUntilResumeData(ctx context.Context, t *testing.T, s *Session, h TorrentHandle) []Alert {
	t.Helper()
	if err := h.SaveResumeData(ctx, 0); err != nil {
		t.Fatal(err)
	}
	all := &hostileAlerts{s: s}
	all.wait(ctx, t, "save_resume_data", func(a Alert) bool {
		_, ok := a.(SaveResumeDataAlert)
		return ok
	})
	return all.all
}

// A download from a seed under every category posts, for every block, one
// block_downloading and one block_finished naming the seed, and every
// alert it posts has libtorrent's category and a message; under the
// default mask (errors) none of those comes.
func TestAlertsOfADownload(t *testing.T) {
	for _, mask := range []AlertCategory{CategoryError, CategoryAll} {
		t.Run(map[AlertCategory]string{CategoryError: "default mask", CategoryAll: "all categories"}[mask], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			ti, _, seeder, _ := seededPair(t, ctx)
			seedAddrs, err := seeder.ListenAddrs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			s := sessionWithMask(t, mask)
			h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			if err := h.ConnectPeer(ctx, seedAddrs[0]); err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, h, "finished", func(st TorrentStatus) bool { return st.IsFinished })
			got := alertsUntilResumeData(ctx, t, s, h)

			type block struct{ piece, index int }
			downloading, finished := map[block]int{}, map[block]int{}
			for _, a := range got {
				if a.Message() == "" {
					t.Errorf("%s: empty message", a.What())
				}
				if want := libtorrentAlertCategories[a.What()]; a.Category() != want {
					t.Errorf("%s posted with category %#x, want %#x", a.What(), a.Category(), want)
				}
				if a.Category()&mask == 0 && a.What() != "save_resume_data" && a.What() != "add_torrent" {
					t.Errorf("%s (category %#x) delivered under mask %#x", a.What(), a.Category(), mask)
				}
				switch a := a.(type) {
				case BlockDownloadingAlert:
					downloading[block{a.PieceIndex, a.BlockIndex}]++
				case BlockFinishedAlert:
					finished[block{a.PieceIndex, a.BlockIndex}]++
					if a.Endpoint != seedAddrs[0] || a.PeerID == ([20]byte{}) {
						t.Errorf("block_finished from %s (%x), the seed is %s", a.Endpoint, a.PeerID, seedAddrs[0])
					}
				}
			}
			want := 0
			if mask == CategoryAll {
				for p := range ti.NumPieces() {
					n := int((ti.PieceSize(p) + wire.BlockSize - 1) / wire.BlockSize)
					for i := range n {
						b := block{p, i}
						if downloading[b] < 1 || finished[b] != 1 {
							t.Errorf("piece %d block %d: %d block_downloading, %d block_finished", p, i, downloading[b], finished[b])
						}
					}
					want += n
				}
			}
			if len(finished) != want {
				t.Errorf("block_finished for %d blocks, want %d", len(finished), want)
			}
		})
	}
}

// A hostile peer that asks a leecher for a piece it lacks gets an
// invalid_request and is ignored (it is disconnected for what it sends
// next); one that sends an unrequested block gets
// unwanted_block, then a peer_error; one that asks outside the torrent
// gets invalid_request, then a peer_error. Under the default mask none of
// these alerts comes (the peer_error neither: it is in the peer category).
func TestHostileRequestAlerts(t *testing.T) {
	for _, mask := range []AlertCategory{CategoryError, CategoryAll} {
		t.Run(map[AlertCategory]string{CategoryError: "default mask", CategoryAll: "all categories"}[mask], func(t *testing.T) {
			pl := makeHostilePayload(t, 1<<20, 256<<10)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			s := sessionWithMask(t, mask)
			h, err := s.AddTorrent(ctx, AddTorrentParams{TI: pl.ti, SavePath: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, h, "downloading", func(st TorrentStatus) bool { return st.State == Downloading })
			addrs, err := s.ListenAddrs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n := uint32(pl.ti.NumPieces())

			// A request of a piece the leecher lacks is ignored: the
			// connection ends on what comes after it (a HAVE of a piece
			// past the end), not on the request.
			lacking := dialHostile(t, addrs[0], pl.ti, pl.data)
			if err := lacking.send(wire.Message{ID: wire.Interested}, wire.Message{ID: wire.Request, Index: 1, Begin: 0, Length: wire.BlockSize}, wire.Message{ID: wire.Have, Index: n + 5}); err != nil {
				t.Fatal(err)
			}
			lacking.closedBySession()
			unwanted := dialHostile(t, addrs[0], pl.ti, pl.data)
			if err := unwanted.send(wire.Message{ID: wire.Piece, Index: 2, Begin: wire.BlockSize, Block: pl.data[2<<18+wire.BlockSize:][:wire.BlockSize]}); err != nil {
				t.Fatal(err)
			}
			unwanted.closedBySession()
			outside := dialHostile(t, addrs[0], pl.ti, pl.data)
			if err := outside.send(wire.Message{ID: wire.Request, Index: n + 3, Begin: 0, Length: wire.BlockSize}); err != nil {
				t.Fatal(err)
			}
			outside.closedBySession()
			got := alertsUntilResumeData(ctx, t, s, h)

			var invalid []InvalidRequestAlert
			var unwantedBlocks []UnwantedBlockAlert
			peerErrors := map[string]error{}
			for _, a := range got {
				switch a := a.(type) {
				case InvalidRequestAlert:
					invalid = append(invalid, a)
				case UnwantedBlockAlert:
					unwantedBlocks = append(unwantedBlocks, a)
				case PeerErrorAlert:
					peerErrors[a.Endpoint] = a.Error
				}
			}
			if mask == CategoryError {
				if len(invalid)+len(unwantedBlocks)+len(peerErrors) != 0 {
					t.Fatalf("under the default mask: %d invalid_request, %d unwanted_block, %d peer_error",
						len(invalid), len(unwantedBlocks), len(peerErrors))
				}
				return
			}
			if len(invalid) != 2 {
				t.Fatalf("%d invalid_request alerts, want 2: %v", len(invalid), invalid)
			}
			for _, c := range []struct {
				a    InvalidRequestAlert
				from *hostilePeer
				req  [3]int
			}{{invalid[0], lacking, [3]int{1, 0, wire.BlockSize}}, {invalid[1], outside, [3]int{int(n + 3), 0, wire.BlockSize}}} {
				if c.a.Endpoint != c.from.local || [3]int{c.a.Piece, c.a.Start, c.a.Length} != c.req {
					t.Errorf("invalid_request from %s of %d/%d/%d, want from %s of %v", c.a.Endpoint, c.a.Piece, c.a.Start, c.a.Length, c.from.local, c.req)
				}
			}
			if len(unwantedBlocks) != 1 || unwantedBlocks[0].Endpoint != unwanted.local ||
				unwantedBlocks[0].PieceIndex != 2 || unwantedBlocks[0].BlockIndex != 1 {
				t.Fatalf("unwanted_block alerts %+v, want piece 2 block 1 from %s", unwantedBlocks, unwanted.local)
			}
			if !errors.Is(peerErrors[lacking.local], peeractor.ErrInvalidIndex) ||
				!errors.Is(peerErrors[unwanted.local], peeractor.ErrUnrequestedBlock) ||
				!errors.Is(peerErrors[outside.local], peeractor.ErrInvalidRequest) {
				t.Fatalf("peer errors %v", peerErrors)
			}
		})
	}
}

// FlushCache writes the blocks of a piece not complete yet to the file and
// answers with cache_flushed even under the default mask (as libtorrent
// 1.1 posts it whatever the mask when the user asked for it).
func TestFlushCacheUnderTheDefaultMask(t *testing.T) {
	pl := makeHostilePayload(t, 1<<20, 256<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s := sessionWithMask(t, CategoryError)
	dst := t.TempDir()
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: pl.ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "downloading", func(st TorrentStatus) bool { return st.State == Downloading })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A seed that answers one request only: its block stays in the
	// write cache, its piece incomplete.
	seed := dialHostile(t, addrs[0], pl.ti, pl.data)
	if err := seed.send(seed.allHave(), wire.Message{ID: wire.Unchoke}); err != nil {
		t.Fatal(err)
	}
	req, err := seed.readUntil(func(m wire.Message) bool { return !m.KeepAlive && m.ID == wire.Request })
	if err != nil {
		t.Fatal(err)
	}
	off := int64(req.Index)*pl.ti.PieceLength() + int64(req.Begin)
	want := pl.data[off : off+int64(req.Length)]
	if err := seed.send(wire.Message{ID: wire.Piece, Index: req.Index, Begin: req.Begin, Block: want}); err != nil {
		t.Fatal(err)
	}
	for {
		cs, err := s.GetCacheInfo(ctx, h, DiskCacheNoPieces)
		if err != nil {
			t.Fatal(err)
		}
		if cs.WriteCacheSize == 1 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the block never reached the write cache")
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := h.FlushCache(ctx); err != nil {
		t.Fatal(err)
	}
	a := waitAlert(ctx, t, s, "cache_flushed", func(a Alert) bool {
		_, ok := a.(CacheFlushedAlert)
		_, failed := a.(FileErrorAlert)
		return ok || failed
	})
	if fc, ok := a.(CacheFlushedAlert); !ok || fc.Handle != h {
		t.Fatalf("got %s", a.Message())
	}
	cs, err := s.GetCacheInfo(ctx, h, DiskCacheNoPieces)
	if err != nil {
		t.Fatal(err)
	}
	if cs.WriteCacheSize != 0 {
		t.Errorf("%d blocks in the write cache after the flush", cs.WriteCacheSize)
	}
	f, err := os.Open(filepath.Join(dst, pl.ti.Name()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := make([]byte, len(want))
	if _, err := f.ReadAt(got, off); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("the flushed block is not in the file")
	}
}
