package actorrent

import (
	"bufio"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// TestInteropShareMode: our share-mode torrent in a swarm of a libtorrent
// seed (rate-limited, so that pieces stay rare for a while) and three
// libtorrent leechers downloads some pieces, not the whole torrent, and
// uploads by share mode's rule; the leechers complete byte-identical.
// Then, the seed gone, a libtorrent leecher that has only us hears
// share_mode in our extension handshake, does not take us for
// upload-only, and gets every piece we have from us.
func TestInteropShareMode(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	const size, pieceSize = 4 << 20, 64 << 10
	if err := interop.MakePayload(src, map[string]int64{"data.bin": size}, 21); err != nil {
		t.Fatal(err)
	}
	tpath := filepath.Join(dir, "t.torrent")
	if err := interop.CreateTorrentWithLibtorrent(ctx, filepath.Join(src, "data.bin"), tpath, pieceSize, nil); err != nil {
		t.Fatal(err)
	}
	ti, err := LoadTorrentFile(tpath)
	if err != nil {
		t.Fatal(err)
	}
	seed := libtorrentSeeding(ctx, t, interop.Options{Torrent: tpath, Save: src, UploadLimit: 512 << 10})

	s := newTestSession(t)
	log := subscribedLog(ctx, t, s)
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		log.mu.Lock()
		defer log.mu.Unlock()
		for _, a := range log.alerts {
			switch a.What() {
			case "piece_finished", "state_changed", "peer_connect", "peer_disconnected", "torrent_finished":
				t.Logf("%s %s: %s", a.Timestamp().Format("15:04:05.000"), a.What(), a.Message())
			}
		}
	})
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: filepath.Join(dir, "ours"), Flags: FlagShareMode})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "share mode, finished", func(st TorrentStatus) bool { return st.ShareMode && st.State == Finished })
	if err := h.ConnectPeer(ctx, seed.Addr()); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "the seed", func(st TorrentStatus) bool { return st.NumSeeds == 1 })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var leechers []*interop.Libtorrent
	var dsts []string
	for i := range 3 {
		dst := filepath.Join(dir, "leecher", string(rune('a'+i)))
		dl, err := interop.StartDownloader(ctx, interop.Options{
			Torrent: tpath, Save: dst, Peers: []string{seed.Addr(), addrs[0]}, Timeout: 90 * time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		stopPeerAtEnd(t, "leecher", dl)
		leechers, dsts = append(leechers, dl), append(dsts, dst)
	}
	for i, dl := range leechers {
		if _, err := dl.WaitFinished(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case <-dl.Exited():
		case <-ctx.Done():
			t.Fatal("libtorrent leecher did not exit after finishing")
		}
		checkSameTree(t, src, dsts[i])
	}
	// The leechers are gone once only the seed is left (their last stats
	// come as their connections close).
	st := waitFor(ctx, t, h, "the leechers gone", func(st TorrentStatus) bool { return st.NumPeers == 1 })
	t.Logf("share mode: %d of %d pieces, %d KiB down, %d KiB up to the leechers (ratio %.2f), state %s",
		st.NumPieces, ti.NumPieces(), st.TotalPayloadDownload>>10, st.TotalPayloadUpload>>10,
		float64(st.TotalPayloadUpload)/float64(max(st.TotalPayloadDownload, 1)), StateName(st.State))
	if st.NumPieces == 0 || st.NumPieces >= ti.NumPieces() {
		t.Errorf("share mode downloaded %d of %d pieces, want some but not all", st.NumPieces, ti.NumPieces())
	}
	// Share mode's rule: a piece after the first only once what it
	// downloaded was uploaded share_mode_target (3) times. (Whether the
	// leechers took the first from us or from one another is their race.)
	if floor := int64(st.NumPieces-1) * pieceSize * 3; st.TotalPayloadUpload < floor {
		t.Errorf("uploaded %d bytes with %d pieces downloaded, want at least %d", st.TotalPayloadUpload, st.NumPieces, floor)
	}
	if !st.ShareMode || st.IsSeeding {
		t.Errorf("share mode %v, seeding %v; want in share mode, not seeding", st.ShareMode, st.IsSeeding)
	}

	// With the seed gone, a libtorrent leecher that has only us gets every
	// piece we have from us, and nothing else makes share mode download.
	if err := seed.Stop(); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "the seed gone", func(st TorrentStatus) bool { return st.NumPeers == 0 })
	before := st.TotalPayloadUpload
	pr := probeShareMode(ctx, t, tpath, filepath.Join(dir, "probe"), addrs[0], st.NumPieces)
	if !strings.Contains(pr.Handshake, "'share_mode': 1") || !strings.Contains(pr.Handshake, "'share_mode': 8") {
		t.Errorf("libtorrent heard no share mode in our extension handshake: %s", pr.Handshake)
	}
	if pr.UploadOnly {
		t.Error("libtorrent takes our share-mode torrent for upload-only")
	}
	if pr.Pieces != st.NumPieces {
		t.Errorf("the probe got %d verified pieces from us, we have %d", pr.Pieces, st.NumPieces)
	}
	end := waitTotals(ctx, t, h, func(s TorrentStatus) bool { return s.TotalPayloadUpload-before >= int64(st.NumPieces)*pieceSize })
	t.Logf("to a libtorrent leecher that has only us: %d pieces, %d KiB up", pr.Pieces, (end.TotalPayloadUpload-before)>>10)
	if up := end.TotalPayloadUpload - before; up < int64(st.NumPieces)*pieceSize || end.NumPieces != st.NumPieces {
		t.Errorf("to the probe: %d bytes up, %d pieces had; want our %d pieces up and none more", up, end.NumPieces, st.NumPieces)
	}
}

// probeScript connects a libtorrent 2.0 downloader to one peer and
// prints, as JSON lines, the peer's extension handshake as its peer log
// shows it, then whether its peer_info says upload_only and, once it has
// the pieces it was told to expect (or after 30 s), how many it has.
const probeScript = `
import json, sys, time
import libtorrent as lt
torrent, save, host, port, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
ses = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
    "enable_upnp": False, "enable_natpmp": False, "out_enc_policy": int(lt.enc_policy.pe_disabled),
    "alert_mask": int(lt.alert.category_t.peer_log_notification)})
atp = lt.add_torrent_params()
atp.ti = lt.torrent_info(torrent)
atp.save_path = save
atp.flags = atp.flags & ~lt.torrent_flags.auto_managed & ~lt.torrent_flags.paused
h = ses.add_torrent(atp)
h.connect_peer((host, port))
deadline = time.monotonic() + 30
heard = None
while heard is None and time.monotonic() < deadline:
    ses.wait_for_alert(100)
    for a in ses.pop_alerts():
        m = a.message()
        if "<== EXTENDED_HANDSHAKE" in m:
            heard = m
print(json.dumps({"handshake": heard or ""}), flush=True)
upload_only = False
for p in h.get_peer_info():
    upload_only = upload_only or bool(p.flags & lt.peer_info.upload_only)
print(json.dumps({"upload_only": upload_only}), flush=True)
while h.status().num_pieces < want and time.monotonic() < deadline:
    ses.wait_for_alert(100)
    ses.pop_alerts()
print(json.dumps({"pieces": h.status().num_pieces}), flush=True)
`

// probeResult is what probeScript said.
type probeResult struct {
	Handshake  string
	UploadOnly bool
	Pieces     int
}

// probeShareMode runs probeScript against addr, expecting want pieces.
func probeShareMode(ctx context.Context, t *testing.T, tpath, save, addr string, want int) probeResult {
	t.Helper()
	host, port, ok := strings.Cut(addr, ":")
	if !ok {
		t.Fatalf("address %q", addr)
	}
	cmd := exec.CommandContext(ctx, interop.Python, "-c", probeScript, tpath, save, host, port, strconv.Itoa(want))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("libtorrent probe: %v\n%s", err, out)
	}
	var r probeResult
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var line struct {
			Handshake  *string `json:"handshake"`
			UploadOnly *bool   `json:"upload_only"`
			Pieces     *int    `json:"pieces"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("libtorrent probe said %q: %v", sc.Text(), err)
		}
		switch {
		case line.Handshake != nil:
			r.Handshake = *line.Handshake
		case line.UploadOnly != nil:
			r.UploadOnly = *line.UploadOnly
		case line.Pieces != nil:
			r.Pieces = *line.Pieces
		}
	}
	return r
}
