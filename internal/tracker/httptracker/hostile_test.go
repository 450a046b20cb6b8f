package httptracker

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
)

// TestHostileTrackersBackOff runs the tracker list against real hostile
// HTTP trackers: each failure is classified, reported and backed off (the
// list's clock is virtual; only the HTTP is real), the tracker with an
// absurd interval is clamped, and our own address is filtered out.
func TestHostileTrackersBackOff(t *testing.T) {
	self := netip.MustParseAddrPort("127.0.0.1:51413")
	stalled := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/500/announce", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "no", 500) })
	mux.HandleFunc("/garbage/announce", reply("\x00\x01garbage"))
	mux.HandleFunc("/huge/announce", reply("d5:peers"+strings.Repeat("x", 128<<10)))
	mux.HandleFunc("/loop/announce", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	})
	mux.HandleFunc("/slow/announce", func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stalled:
		}
	})
	mux.HandleFunc("/absurd/announce", reply("d8:intervali1000000000e5:peers"+b(compact4(self.String(), "127.0.0.2:1"))+"e"))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(stalled)
	// Only the slow tracker meets a short receive timeout: on a busy
	// machine, 100 ms of silence can also come between two hops of the
	// redirect loop, or before a 500, which would then time out instead.
	c := New(Options{MaxResponseSize: 64 << 10})
	defer c.CloseIdleConnections()
	impatient := New(Options{MaxResponseSize: 64 << 10, ReceiveTimeout: 100 * time.Millisecond})
	defer impatient.CloseIdleConnections()

	want := map[string]error{
		"500": &tracker.StatusError{}, "garbage": tracker.ErrInvalidResponse, "huge": tracker.ErrResponseTooLarge,
		"loop": ErrRedirectLoop, "slow": tracker.ErrTimeout, "absurd": nil,
	}
	var urls []string
	for name := range want {
		urls = append(urls, srv.URL+"/"+name+"/announce")
	}
	l := tracker.NewList([][]string{urls}, tracker.Settings{AnnounceToAllTrackers: true}, nil)
	l.Start()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for round := 1; round <= 3; round++ {
		jobs := l.Due(now)
		if len(jobs) != 6-min(round-1, 1) { // the absurd one is not due again
			t.Fatalf("round %d: %d jobs", round, len(jobs))
		}
		type res struct {
			job  tracker.Job
			resp tracker.AnnounceResponse
			err  error
		}
		results := make([]res, len(jobs))
		var wg sync.WaitGroup
		for i, j := range jobs {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				req := testReq
				req.Event, req.TrackerID = j.Event, j.TrackerID
				cl := c
				if strings.Contains(j.URL, "/slow/") {
					cl = impatient
				}
				r, err := cl.Announce(ctx, j.URL, req)
				results[i] = res{j, r, err}
			})
		}
		wg.Wait()
		for _, r := range results {
			name := strings.Split(strings.TrimPrefix(r.job.URL, srv.URL+"/"), "/")[0]
			switch w := want[name]; {
			case w == nil && r.err == nil:
				peers := tracker.FilterPeers(r.resp.Peers, func(p netip.AddrPort) bool { return p == self })
				if len(peers) != 1 || peers[0] == self {
					t.Fatalf("absurd: peers %v", peers)
				}
				l.Succeeded(r.job.Entry, r.resp, now)
			case w != nil && (errors.Is(r.err, w) || errors.As(r.err, new(*tracker.StatusError)) && name == "500"):
				l.Failed(r.job.Entry, r.err, now)
			default:
				t.Fatalf("%s: err %v, want %v", name, r.err, w)
			}
		}
		for _, s := range l.Trackers() {
			name := strings.Split(strings.TrimPrefix(s.URL, srv.URL+"/"), "/")[0]
			if name == "absurd" {
				if !s.Working || s.Interval != tracker.DefaultMaxAnnounceInterval {
					t.Fatalf("absurd: %+v", s)
				}
				continue
			}
			if s.Fails != round || s.Working || s.LastError == nil ||
				!s.NextAnnounce.Equal(now.Add(l.Settings().Backoff(round))) {
				t.Fatalf("round %d, %s: fails=%d next=%v err=%v", round, name, s.Fails, s.NextAnnounce.Sub(now), s.LastError)
			}
		}
		now = l.Next(now)
	}
}
