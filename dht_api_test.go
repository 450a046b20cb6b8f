package actorrent

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/sessionstate"
)

// The DHT is off by default; StartDHT, StopDHT and enable_dht turn it on
// and off at runtime; requests that need it fail clearly without it.
func TestDHTStartStop(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	p := testSettings()
	p.SetStr(DHTBootstrapNodes, "") // no router: nothing leaves this machine
	s := newTestSessionWith(t, p, withDHTResendDelay(300*time.Millisecond))
	running := func(want bool) {
		t.Helper()
		if on, err := s.IsDHTRunning(ctx); err != nil || on != want {
			t.Fatalf("IsDHTRunning = %v, %v; want %v", on, err, want)
		}
	}
	running(false)
	if err := s.AddDHTNode(ctx, "127.0.0.1", 6881); !errors.Is(err, ErrDHTNotRunning) {
		t.Errorf("AddDHTNode without a DHT: %v", err)
	}
	if err := s.DHTGetItem(ctx, [20]byte{1}); !errors.Is(err, ErrDHTNotRunning) {
		t.Errorf("DHTGetItem without a DHT: %v", err)
	}
	if err := s.AddDHTRouter(ctx, "127.0.0.1", 6881); err != nil {
		t.Errorf("AddDHTRouter without a DHT (kept for later): %v", err)
	}
	if st, _ := s.Status(ctx); st.DHTNodes != 0 || st.TotalDHTUpload != 0 || st.DHTRoutingTable != nil {
		t.Errorf("status without a DHT: %+v", st)
	}
	if err := s.StartDHT(ctx); err != nil {
		t.Fatal(err)
	}
	running(true)
	if err := s.StartDHT(ctx); err != nil { // again: nothing
		t.Fatal(err)
	}
	if err := s.AddDHTNode(ctx, "127.0.0.1", 1); err != nil {
		t.Errorf("AddDHTNode: %v", err)
	}
	if err := s.PostDHTStats(ctx); err != nil {
		t.Fatal(err)
	}
	waitAlert(ctx, t, s, "dht_stats", func(a Alert) bool { _, ok := a.(DHTStatsAlert); return ok })
	if err := s.StopDHT(ctx); err != nil {
		t.Fatal(err)
	}
	running(false)
	var on SettingsPack
	on.SetBool(EnableDHT, true)
	if err := s.ApplySettings(ctx, on); err != nil {
		t.Fatal(err)
	}
	running(true)
	var off SettingsPack
	off.SetBool(EnableDHT, false)
	if err := s.ApplySettings(ctx, off); err != nil {
		t.Fatal(err)
	}
	// The stop is under way when ApplySettings returns; StopDHT waits for it.
	if err := s.StopDHT(ctx); err != nil {
		t.Fatal(err)
	}
	running(false)
	// Off then on at once: the new node waits for the old one's socket,
	// and gets the listen port (no dht_error about a taken port).
	if err := s.ApplySettings(ctx, on); err != nil {
		t.Fatal(err)
	}
	running(true)
	if err := s.ApplySettings(ctx, off); err != nil {
		t.Fatal(err)
	}
	if err := s.StartDHT(ctx); err != nil {
		t.Fatal(err)
	}
	running(true)
	if seen, _ := alertCounts(ctx, t, s); seen["dht_error"] != 0 {
		t.Errorf("alerts %v", seen)
	}
	if err := (TorrentHandle{}).ForceDHTAnnounce(ctx); !errors.Is(err, ErrInvalidHandle) {
		t.Errorf("ForceDHTAnnounce on an invalid handle: %v", err)
	}
}

// dht_settings round-trip through SetDHTSettings, SaveState and
// LoadState; the DHT's node id and nodes are saved while it runs and a
// session that loads them starts its DHT with that id.
func TestDHTSettingsAndStateRoundTrip(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	ss, _ := dhtSwarm(ctx, t, 81, 2)
	a := ss[1]
	set, err := a.GetDHTSettings(ctx)
	if err != nil || set != DefaultDHTSettings() {
		t.Fatalf("GetDHTSettings = %+v, %v", set, err)
	}
	set.MaxPeersReply, set.ReadOnly = 33, true
	if err := a.SetDHTSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.GetDHTSettings(ctx); got != set {
		t.Fatalf("after SetDHTSettings: %+v", got)
	}
	if on, _ := a.IsDHTRunning(ctx); !on {
		t.Fatal("a read-only change stopped the DHT")
	}
	// Wait until it knows its router, so that the state has a node.
	for {
		if st, _ := a.Status(ctx); st.DHTNodes > 0 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("no DHT node in the table")
		case <-time.After(20 * time.Millisecond):
		}
	}
	data, err := a.SaveState(ctx, SaveStateAll)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sessionstate.Decode(data, nil)
	if err != nil || st.DHT == nil || len(st.DHT.NodeIDs) != 1 || len(st.DHT.Nodes) == 0 {
		t.Fatalf("saved dht state %+v, %v", st.DHT, err)
	}
	if st.DHTSettings["dht_max_peers_reply"].Int != 33 || !st.DHTSettings["dht_read_only"].Bool {
		t.Errorf("saved dht dict %v", st.DHTSettings)
	}
	if want := netip.MustParseAddr("127.0.82.1"); st.DHT.NodeIDs[0].Addr != want {
		t.Errorf("node id saved for %v, want %v", st.DHT.NodeIDs[0].Addr, want)
	}

	p := testSettings()
	p.SetStr(ListenInterfaces, "127.0.82.1:0")
	p.SetStr(DHTBootstrapNodes, "")
	b := newTestSessionWith(t, p, withDHTResendDelay(300*time.Millisecond))
	res, err := b.LoadState(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AppliedDHT) != 18 {
		t.Errorf("AppliedDHT = %v", res.AppliedDHT)
	}
	if got, _ := b.GetDHTSettings(ctx); got != set {
		t.Errorf("loaded dht settings %+v, want %+v", got, set)
	}
	if err := b.StartDHT(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := b.SaveState(ctx, SaveDHTState)
	if err != nil {
		t.Fatal(err)
	}
	st2, err := sessionstate.Decode(again, nil)
	if err != nil || st2.DHT == nil || st2.DHT.NodeIDs[0].ID != st.DHT.NodeIDs[0].ID {
		t.Fatalf("the loaded node id was not used: %+v, %v", st2.DHT, err)
	}
}

// A private torrent (BEP 27) is never on the DHT: its peers come from
// its trackers only.
func TestDHTPrivateTorrentIsNotAnnounced(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	ss, _ := dhtSwarm(ctx, t, 86, 2)
	dir := t.TempDir()
	writePayload(t, dir, map[string]int64{"p/a.bin": 100 << 10}, 3)
	ti, err := CreateTorrent(filepath.Join(dir, "p"), CreateTorrentOptions{PieceSize: 16 << 10, Private: true})
	if err != nil {
		t.Fatal(err)
	}
	h, err := ss[1].AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dir})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	if err := h.ForceDHTAnnounce(ctx); err != nil {
		t.Fatal(err)
	}
	// An open torrent added after it: its lookup ending is the event
	// after which the private one's would have ended too, had it one.
	open, src, _ := trackerFixture(t)
	oh, err := ss[1].AddTorrent(ctx, AddTorrentParams{TI: open, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitAlert(ctx, t, ss[1], "the open torrent's dht_reply", func(a Alert) bool {
		r, ok := a.(DHTReplyAlert)
		if ok && r.TorrentHandle().InfoHash() == ti.InfoHash() {
			t.Errorf("a private torrent looked up peers on the DHT")
		}
		return ok && r.TorrentHandle().InfoHash() == oh.InfoHash()
	})
}

// A new listen address moves the DHT there (its socket, what it
// announces), with the same node id.
func TestDHTFollowsTheListenAddress(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s, _ := dhtNode(ctx, t, "127.0.88.1")
	idOn := func(want string) [20]byte {
		t.Helper()
		data, err := s.SaveState(ctx, SaveDHTState)
		if err != nil {
			t.Fatal(err)
		}
		st, err := sessionstate.Decode(data, nil)
		if err != nil || st.DHT == nil || len(st.DHT.NodeIDs) != 1 {
			t.Fatalf("dht state %+v, %v", st.DHT, err)
		}
		if got := st.DHT.NodeIDs[0].Addr; got != netip.MustParseAddr(want) {
			t.Fatalf("DHT on %v, want %v", got, want)
		}
		return st.DHT.NodeIDs[0].ID
	}
	before := idOn("127.0.88.1")
	var p SettingsPack
	p.SetStr(ListenInterfaces, "127.0.89.1:0")
	if err := s.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	// The move is under way when ApplySettings returns; StartDHT returns
	// once the DHT runs again.
	if err := s.StartDHT(ctx); err != nil {
		t.Fatal(err)
	}
	if after := idOn("127.0.89.1"); after != before {
		t.Errorf("node id %x, was %x", after, before)
	}
}

// BEP 44 immutable items: one node puts an item, another gets it by its
// target; an unknown target answers with no item; bad items are refused.
func TestDHTImmutableItems(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	ss, _ := dhtSwarm(ctx, t, 91, 4)
	item := []byte("d4:name5:actor4:sizei42ee")
	target, err := ss[1].DHTPutItem(ctx, item)
	if err != nil {
		t.Fatal(err)
	}
	put := waitAlert(ctx, t, ss[1], "dht_put", func(a Alert) bool { _, ok := a.(DHTPutAlert); return ok }).(DHTPutAlert)
	if put.Target != target || put.NumSuccess == 0 {
		t.Fatalf("put %+v, target %x", put, target)
	}
	if err := ss[3].DHTGetItem(ctx, target); err != nil {
		t.Fatal(err)
	}
	got := waitAlert(ctx, t, ss[3], "dht_immutable_item", func(a Alert) bool { _, ok := a.(DHTImmutableItemAlert); return ok }).(DHTImmutableItemAlert)
	if got.Target != target || string(got.Item) != string(item) {
		t.Fatalf("got %+v", got)
	}
	if err := ss[3].DHTGetItem(ctx, [20]byte{9}); err != nil {
		t.Fatal(err)
	}
	none := waitAlert(ctx, t, ss[3], "dht_immutable_item", func(a Alert) bool {
		i, ok := a.(DHTImmutableItemAlert)
		return ok && i.Target == [20]byte{9}
	}).(DHTImmutableItemAlert)
	if none.Item != nil {
		t.Errorf("an item for a target nobody stored: %q", none.Item)
	}
	for _, bad := range [][]byte{nil, []byte("x"), []byte("i1ei2e"), make([]byte, 1001)} {
		if _, err := ss[1].DHTPutItem(ctx, bad); !errors.Is(err, ErrInvalidParams) {
			t.Errorf("DHTPutItem(%q...): %v", bad[:min(len(bad), 8)], err)
		}
	}
}
