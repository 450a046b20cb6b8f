package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent"
	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/resume"
)

// miniTracker is an HTTP tracker in the test process: it remembers every
// announcer (its address and &port=) and answers each with the others in
// a compact peer list. Tests ask it who announced.
type miniTracker struct {
	*httptest.Server
	mu    sync.Mutex
	peers []netip.AddrPort // in order of first announce
}

func startMiniTracker(t *testing.T) *miniTracker {
	t.Helper()
	mt := &miniTracker{}
	mt.Server = httptest.NewServer(http.HandlerFunc(mt.announce))
	t.Cleanup(mt.Close)
	return mt
}

func (mt *miniTracker) announce(w http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	ip, err1 := netip.ParseAddr(host)
	var port uint16
	_, err2 := fmt.Sscan(r.URL.Query().Get("port"), &port)
	if err1 != nil || err2 != nil {
		http.Error(w, "bad announce", http.StatusBadRequest)
		return
	}
	me := netip.AddrPortFrom(ip.Unmap(), port)
	var compact []byte
	mt.mu.Lock()
	if !slices.Contains(mt.peers, me) {
		mt.peers = append(mt.peers, me)
	}
	for _, p := range mt.peers {
		if p != me {
			a := p.Addr().As4()
			compact = binary.BigEndian.AppendUint16(append(compact, a[:]...), p.Port())
		}
	}
	mt.mu.Unlock()
	fmt.Fprintf(w, "d8:intervali60e5:peers%d:%se", len(compact), compact)
}

func (mt *miniTracker) url() string { return mt.URL + "/announce" }

// announcers is how many peers announced so far.
func (mt *miniTracker) announcers() int {
	mt.mu.Lock()
	defer mt.mu.Unlock()
	return len(mt.peers)
}

// waitAnnouncers waits until n peers announced.
func (mt *miniTracker) waitAnnouncers(t *testing.T, n int, timeout time.Duration, why func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for mt.announcers() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d peers announced to the new tracker within %v\n%s", mt.announcers(), n, timeout, why())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pausedResume makes resume data of torrent in savePath the way a client
// that ran it and then paused it leaves it: "paused" set, the torrent's
// own trackers, the info dictionary, and what the check found.
type pausedResume func(t *testing.T, torrent, savePath string) []byte

// ourPausedResume writes it with this engine, in the test process.
func ourPausedResume(t *testing.T, torrent, savePath string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	ti, err := actorrent.LoadTorrentFile(torrent)
	if err != nil {
		t.Fatal(err)
	}
	s, err := openSession(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { must(t, closeSession(s)) }()
	w, err := addWatched(ctx, s, actorrent.AddTorrentParams{TI: ti, SavePath: savePath}, ti.InfoHash(), nil, "torrent")
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	must(t, w.poll(ctx, statusInterval, func(st actorrent.TorrentStatus) (bool, error) { return !checking(st.State), nil }))
	must(t, w.h.Pause(ctx))
	must(t, w.h.SaveResumeData(ctx, actorrent.SaveResumeSaveInfoDict))
	for {
		select {
		case a := <-w.alerts:
			if sr, ok := a.(actorrent.SaveResumeDataAlert); ok {
				return sr.ResumeData
			}
		case <-ctx.Done():
			t.Fatal("no save_resume_data_alert")
		}
	}
}

// libtorrentPausedResumeScript adds a torrent (argv 1) in a save path
// (argv 2), waits for its check, pauses it and writes its resume data
// with the info dictionary to argv 3.
const libtorrentPausedResumeScript = `
import sys, time, libtorrent as lt
torrent, save, out = sys.argv[1:4]
ses = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
    "enable_upnp": False, "enable_natpmp": False,
    "alert_mask": int(lt.alert.category_t.status_notification | lt.alert.category_t.storage_notification
        | lt.alert.category_t.error_notification)})
atp = lt.add_torrent_params()
atp.ti = lt.torrent_info(torrent)
atp.save_path = save
flags = atp.flags
flags &= ~lt.torrent_flags.auto_managed
flags &= ~lt.torrent_flags.paused
atp.flags = flags
h = ses.add_torrent(atp)
deadline = time.time() + 30
while h.status().state not in (lt.torrent_status.downloading, lt.torrent_status.finished, lt.torrent_status.seeding):
    if time.time() > deadline:
        sys.exit("still checking")
    time.sleep(0.05)
h.pause()
h.save_resume_data(lt.torrent_handle.save_info_dict)
while time.time() < deadline:
    ses.wait_for_alert(1000)
    for a in ses.pop_alerts():
        if isinstance(a, lt.save_resume_data_alert):
            with open(out, "wb") as f:
                f.write(lt.write_resume_data_buf(a.params))
            sys.exit(0)
        if isinstance(a, lt.save_resume_data_failed_alert):
            sys.exit(a.message())
sys.exit("no save_resume_data_alert")
`

// libtorrentPausedResume writes it with libtorrent 2.0.8.
func libtorrentPausedResume(t *testing.T, torrent, savePath string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "lt.resume")
	ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
	defer cancel()
	if b, err := exec.CommandContext(ctx, interop.Python, "-c", libtorrentPausedResumeScript, torrent, savePath, out).CombinedOutput(); err != nil {
		t.Fatalf("libtorrent: %v: %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// keepResume puts b where "demo download/seed -resume-dir dir" looks for
// the resume data of savePath's torrent, after checking b says what the
// test needs it to: paused, with the old tracker only.
func keepResume(t *testing.T, b []byte, dir, savePath string, ih actorrent.InfoHash, oldTracker string) {
	t.Helper()
	d, err := resume.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	var trackers []string
	for _, tier := range d.Trackers {
		trackers = append(trackers, tier...)
	}
	if !d.Paused || !slices.Equal(trackers, []string{oldTracker}) || len(d.Info) == 0 {
		t.Fatalf("resume data: paused %v, trackers %q, info %d bytes", d.Paused, d.Trackers, len(d.Info))
	}
	st, err := openResumeStore(dir, savePath, ih)
	if err != nil {
		t.Fatal(err)
	}
	must(t, st.save(b))
}

// TestResumeDataKeepsNewTrackersAndRuns is issue 8's demo case: the seed
// and the downloader each have resume data from a run of the torrent that
// named an old tracker, now dead, and that ended paused (written by this
// engine, or by libtorrent 2.0.8). They are given the torrent again with a
// new tracker (a torrent file, or a magnet link for the downloader): both
// run, say on stderr that their resume data had them paused, announce to
// the new tracker, and the downloader finds the seed there and downloads.
func TestResumeDataKeepsNewTrackersAndRuns(t *testing.T) {
	writers := []struct {
		name  string
		write pausedResume
	}{{"ours", ourPausedResume}, {"libtorrent", libtorrentPausedResume}}
	for _, wr := range writers {
		for _, magnet := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/magnet=%v", wr.name, magnet), func(t *testing.T) {
				if wr.name == "libtorrent" {
					needLibtorrent(t)
				}
				testResumeKeepsNewTrackers(t, wr.write, magnet)
			})
		}
	}
}

func testResumeKeepsNewTrackers(t *testing.T, write pausedResume, magnet bool) {
	f := newFixture(t) // its torrent names the old tracker, nobody listens there
	old, err := actorrent.LoadTorrentFile(f.torrent)
	must(t, err)
	oldTracker := old.Trackers()[0][0]
	mt := startMiniTracker(t)
	torrent := filepath.Join(f.root, "new.torrent")
	if r := runDemo(t, 30*time.Second, nil, "create", "-piece-size", fmt.Sprint(testPieceSize),
		"-tracker", mt.url(), "-o", torrent, filepath.Join(f.src, "pl")); r.code != 0 {
		t.Fatalf("create: %d %s", r.code, r.stderr)
	}
	ih := old.InfoHash()
	dst := filepath.Join(f.root, "dst")
	must(t, os.MkdirAll(dst, 0o755))
	seedResume, dstResume := filepath.Join(f.root, "seed-resume"), filepath.Join(f.root, "dst-resume")
	keepResume(t, write(t, f.torrent, f.src), seedResume, f.src, ih, oldTracker)
	keepResume(t, write(t, f.torrent, dst), dstResume, dst, ih, oldTracker)

	seed := startDemo(t, "seed", "-listen", "127.0.0.1:0", "-resume-dir", seedResume, torrent, f.src)
	seed.waitLine("listening on ", 30*time.Second)
	mt.waitAnnouncers(t, 1, 20*time.Second, func() string { return "seed stderr: " + seed.stderr.String() })
	arg := torrent
	if magnet {
		arg = fmt.Sprintf("magnet:?xt=urn:btih:%s&dn=pl&tr=%s", ih, mt.url())
	}
	r := runDemo(t, 60*time.Second, nil, "download", "-timeout", "40s", "-resume-dir", dstResume, "-o", dst, arg)
	checkDownloaded(t, r, f.total, f.src, dst)
	if n := mt.announcers(); n != 2 {
		t.Errorf("%d peers announced to the new tracker, want the seed and the downloader", n)
	}
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Errorf("seed exit code %d\nstderr: %s", code, seed.stderr.String())
	}
	for who, stderr := range map[string]string{"download": r.stderr, "seed": seed.stderr.String()} {
		if !strings.Contains(stderr, "resume data had it paused") {
			t.Errorf("%s does not say its resume data had the torrent paused:\n%s", who, stderr)
		}
	}
	// The resume data saved on exit keeps both trackers.
	b, err := os.ReadFile(filepath.Join(dstResume, ih.String()+".resume"))
	must(t, err)
	d, err := resume.Decode(b)
	must(t, err)
	var saved []string
	for _, tier := range d.Trackers {
		saved = append(saved, tier...)
	}
	if !slices.Contains(saved, mt.url()) || !slices.Contains(saved, oldTracker) || d.Paused {
		t.Errorf("saved resume data: trackers %q, paused %v", d.Trackers, d.Paused)
	}
}
