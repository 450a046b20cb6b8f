package torrentactor

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/diskactor"
	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/messages"
)

// A torrent added by info-hash announces while it downloads its metadata
// (left = 16 KiB, as libtorrent), connects to the peers the tracker gives,
// fetches the info dictionary, keeps its trackers in the metadata, and
// downloads; completed reaches the tracker with left = 0.
func TestInfoHashAddAnnouncesFetchesAndDownloads(t *testing.T) {
	r := newRig(t)
	src, dst := t.TempDir(), t.TempDir()
	meta := makeMeta(t, src, "f.bin", 1<<20+777, 64<<10)
	seed := r.torrent(meta, src, messages.FlagSeedMode, 1, nil)
	seedAddr := r.listen(seed)
	r.waitStatus(seed, "seeding", func(s *messages.TorrentStatus) bool { return s.IsSeeding })

	client := &fakeClient{Start: time.Now(), Answer: func(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) {
		return okReply(time.Hour, seedAddr), nil
	}}
	disk := r.sys.Root.Spawn(diskactor.New(diskactor.Config{Settings: withSettings(map[string]any{"hashing_threads": 2})}))
	var id [20]byte
	copy(id[:], "-TT0000-test-peer-02")
	const url = "http://tracker.test/announce"
	tp := r.sys.Root.Spawn(New(Config{
		InfoHash: meta.InfoHash, Name: "from-dn", SavePath: dst, PeerID: id,
		Session: r.alerts, Disk: disk, Alerts: r.alerts,
		Trackers: TrackerConfig{Client: client, Tiers: [][]string{{url}}},
	}))
	r.stop = append(r.stop, disk, tp)

	r.sink.waitAlert(t, "metadata_received", func(a messages.Alert) bool {
		m, ok := a.(*messages.MetadataReceivedAlert)
		return ok && m.InfoHash == meta.InfoHash
	})
	st := r.waitStatus(tp, "finished", func(s *messages.TorrentStatus) bool { return s.IsFinished })
	if !st.HasMetadata || st.Name != "f.bin" {
		t.Errorf("status: has metadata %v, name %q", st.HasMetadata, st.Name)
	}
	if err := sameFile(filepath.Join(src, "f.bin"), filepath.Join(dst, "f.bin")); err != nil {
		t.Fatal(err)
	}
	calls := client.Calls()
	if len(calls) == 0 || calls[0].Event != tracker.EventStarted || calls[0].Req.Left != metadataLeft {
		t.Fatalf("first announce %+v, want started with left %d", calls, metadataLeft)
	}
	// The announcer reports no event to wait on; the deadline only ends
	// a hung test.
	deadline := time.Now().Add(time.Minute)
	for {
		calls = client.Calls()
		last := calls[len(calls)-1]
		if last.Event == tracker.EventCompleted {
			if last.Req.Left != 0 {
				t.Errorf("completed with left %d", last.Req.Left)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no completed announce: %s", events(calls))
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, c := range calls {
		if c.Event == tracker.EventStopped {
			t.Errorf("stopped announced between metadata and download: %s", events(calls))
		}
	}
	reply, err := r.sys.Root.RequestFuture(tp, &messages.GetTorrentFile{}, time.Minute).Result()
	if err != nil {
		t.Fatal(err)
	}
	got := reply.(*messages.TorrentFileReply).Meta
	if got == nil || got.InfoHash != meta.InfoHash || len(got.AnnounceList) != 1 || got.AnnounceList[0][0] != url {
		t.Fatalf("torrent file %+v", got)
	}
}
