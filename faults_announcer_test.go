package actorrent

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/actorrent/actorrent/supervisor"
)

// trackerFor is an HTTP tracker on loopback that hands out one peer (the
// seeder) and counts the announces with event=started.
func trackerFor(t *testing.T, peer string) (url string, started *atomic.Int32) {
	t.Helper()
	host, port, err := net.SplitHostPort(peer)
	if err != nil {
		t.Fatal(err)
	}
	var compact [6]byte
	copy(compact[:4], net.ParseIP(host).To4())
	var p uint16
	fmt.Sscan(port, &p)
	binary.BigEndian.PutUint16(compact[4:], p)
	started = &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("event") == "started" {
			started.Add(1)
		}
		fmt.Fprintf(w, "d8:intervali1800e5:peers6:%se", compact[:])
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/announce", started
}

// A torrent whose announcer fails (in Receive, or in the goroutine of its
// first announce) gets it back after the backoff, gives it its trackers
// and has it announce again: the peers come from the tracker alone, and
// the download finishes byte for byte.
func TestFaultAnnouncerRestartsAndAnnounces(t *testing.T) {
	eachFault(t, supervisor.KindAnnouncer, supervisor.ActionPanic, []faultCase{
		{"receive", supervisor.Rule{Message: "StartAnnouncing", Nth: 1}},
		{"announce", supervisor.Rule{Site: supervisor.SiteAnnounce, Message: "started", Nth: 1}},
	}, func(t *testing.T, r *faultRig) {
		url, started := trackerFor(t, r.seederAddr)
		h, err := r.leecher.AddTorrent(r.ctx, AddTorrentParams{TI: r.a, SavePath: r.dst, Trackers: [][]string{{url}}})
		if err != nil {
			t.Fatal(err)
		}
		if al := r.actorFailed(supervisor.KindAnnouncer); al.Directive != "restart" || !al.Injected || al.Restarts != 1 {
			t.Fatalf("actor_failed = %+v", al)
		}
		r.finish(h, r.a)
		if n := started.Load(); n < 1 {
			t.Fatalf("%d started announces", n)
		}
		trs, err := h.Trackers(r.ctx)
		if err != nil || len(trs) != 1 || !strings.HasPrefix(trs[0].URL, url) {
			t.Fatalf("trackers after the restart: %+v, %v", trs, err)
		}
	})
}
