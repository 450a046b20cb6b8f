package tracker

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"
)

func TestStatusSnapshot(t *testing.T) {
	l := NewList([][]string{{"a", "b"}, {"c"}}, Settings{MaxFailCount: 4}, nil)
	l.Start()
	jobs := l.Due(t0)
	if len(jobs) != 1 || jobs[0].TrackerID != "" {
		t.Fatalf("jobs %+v", jobs)
	}
	st, _ := l.Status(jobs[0].Entry)
	if !st.Updating || st.Verified || st.Working || st.FailLimit != 4 {
		t.Fatalf("in flight: %+v", st)
	}
	l.Succeeded(jobs[0].Entry, AnnounceResponse{
		Interval: 40 * time.Minute, MinInterval: 10 * time.Minute,
		Complete: 7, Incomplete: -1, Downloaded: 100,
		TrackerID: "tid-1", Warning: "be nice",
	}, t0)
	st, _ = l.Status(jobs[0].Entry)
	want := TrackerStatus{
		Entry: jobs[0].Entry, URL: "a", Tier: 0, TrackerID: "tid-1", FailLimit: 4,
		Verified: true, Working: true, StartSent: true,
		NextAnnounce: t0.Add(40 * time.Minute), MinAnnounce: t0.Add(10 * time.Minute),
		Interval: 40 * time.Minute, LastAnnounce: t0, Message: "be nice",
		ScrapeComplete: 7, ScrapeIncomplete: -1, ScrapeDownloaded: 100, LastScrape: t0,
	}
	if st != want {
		t.Fatalf("after success:\n got %+v\nwant %+v", st, want)
	}
	// The tracker id is echoed in the next job.
	next := l.Due(t0.Add(40 * time.Minute))
	if len(next) != 1 || next[0].TrackerID != "tid-1" || next[0].Event != EventNone {
		t.Fatalf("next jobs %+v", next)
	}
	fe := &FailureError{Reason: "torrent not registered"}
	l.Failed(next[0].Entry, fe, t0.Add(40*time.Minute))
	st, _ = l.Status(next[0].Entry)
	if st.Fails != 1 || st.Working || !st.Verified || st.LastError != fe || st.Message != fe.Reason {
		t.Fatalf("after failure: %+v", st)
	}
	// Scrape replies update the counts they know.
	l.Scraped(next[0].Entry, ScrapeResponse{Complete: -1, Incomplete: 3, Downloaded: -1}, t0.Add(time.Hour))
	st, _ = l.Status(next[0].Entry)
	if st.ScrapeComplete != 7 || st.ScrapeIncomplete != 3 || st.ScrapeDownloaded != 100 || !st.LastScrape.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after scrape: %+v", st)
	}
	if urls := urlsOf(l); !slices.Equal(urls, []string{"a", "b", "c"}) {
		t.Fatalf("order %v", urls)
	}
	if _, ok := l.Status(9999); ok {
		t.Fatal("status of an unknown entry")
	}
}

func urlsOf(l *List) []string {
	var out []string
	for _, s := range l.Trackers() {
		out = append(out, s.URL)
	}
	return out
}

func TestStaleResultsAreIgnored(t *testing.T) {
	l := NewList([][]string{{"a"}}, Settings{}, nil)
	l.Start()
	old := l.Due(t0)[0]
	l.Replace([][]string{{"b"}})
	jobs := l.Due(t0)
	if len(jobs) != 1 || jobs[0].URL != "b" || jobs[0].Entry == old.Entry {
		t.Fatalf("after replace: %+v", jobs)
	}
	// a's answer arrives late, twice; b's twice too: only b's first counts.
	l.Succeeded(old.Entry, AnnounceResponse{}, t0)
	l.Failed(old.Entry, errDown, t0)
	l.Succeeded(jobs[0].Entry, AnnounceResponse{Interval: time.Hour}, t0)
	l.Failed(jobs[0].Entry, errDown, t0)
	st, _ := l.Status(jobs[0].Entry)
	if !st.Working || st.Fails != 0 || !st.NextAnnounce.Equal(t0.Add(time.Hour)) {
		t.Fatalf("b: %+v", st)
	}
	if l.Len() != 1 {
		t.Fatalf("Len = %d", l.Len())
	}
}

func TestNewListDedupesAndCaps(t *testing.T) {
	l := NewList([][]string{{"a", " a ", "", "b"}, {"b", "c"}, nil, {"d"}}, Settings{MaxTrackers: 3}, nil)
	if got := urlsOf(l); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("urls %v", got)
	}
	if id, added := l.Add("e", 0); added || id != 0 {
		t.Fatalf("Add past the cap: %v %v", id, added)
	}
	if id, added := l.Add("b", 5); added || id == 0 {
		t.Fatalf("Add of a duplicate: %v %v", id, added)
	}
	l2 := NewList(nil, Settings{}, nil)
	l2.Add("z", 3)
	l2.Add("y", -1) // negative tiers are tier 0
	l2.Add("x", 3)
	l2.Add("w", 1)
	if got := urlsOf(l2); !slices.Equal(got, []string{"y", "w", "z", "x"}) {
		t.Fatalf("Add order %v", got)
	}
}

func TestShuffleIsPerTierAndSeeded(t *testing.T) {
	tiers := [][]string{manyURLs(20)[:10], manyURLs(20)[10:]}
	a := urlsOf(NewList(tiers, Settings{}, rand.New(rand.NewPCG(1, 2))))
	b := urlsOf(NewList(tiers, Settings{}, rand.New(rand.NewPCG(1, 2))))
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different order")
	}
	if slices.Equal(a, slices.Concat(tiers...)) {
		t.Fatal("not shuffled")
	}
	for i, u := range a {
		if !slices.Contains(tiers[i/10], u) {
			t.Fatalf("%s left its tier", u)
		}
	}
}

func TestStopping(t *testing.T) {
	l := NewList([][]string{{"a"}}, Settings{}, nil)
	if l.Stopping() {
		t.Fatal("stopping before start")
	}
	l.Stop() // before Start: nothing to say goodbye to
	l.Start()
	j := l.Due(t0)[0]
	l.Succeeded(j.Entry, AnnounceResponse{}, t0)
	l.Stop()
	if !l.Stopping() {
		t.Fatal("a stopped is owed")
	}
	s := l.Due(t0)
	if len(s) != 1 || s[0].Event != EventStopped || !l.Stopping() {
		t.Fatalf("stopped jobs %+v", s)
	}
	l.ForceReannounce(t0) // no effect while stopped
	l.Failed(s[0].Entry, errDown, t0)
	if l.Stopping() || len(l.Due(t0)) != 0 || !l.Next(t0).IsZero() {
		t.Fatal("still stopping after the stopped answer")
	}
}

func TestBackoff(t *testing.T) {
	var s Settings
	for _, tc := range []struct {
		fails int
		want  time.Duration
	}{
		{0, 17500 * time.Millisecond}, {1, 17500 * time.Millisecond}, {2, 55 * time.Second},
		{3, 117500 * time.Millisecond}, {9, 1017500 * time.Millisecond},
		{17, time.Hour}, {1 << 40, time.Hour},
	} {
		if got := s.Backoff(tc.fails); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.fails, got, tc.want)
		}
	}
	custom := Settings{BackoffPercent: 100, BackoffMin: time.Second, BackoffMax: 10 * time.Second}
	if got := custom.Backoff(2); got != 5*time.Second {
		t.Errorf("custom Backoff(2) = %v", got)
	}
	if got := custom.Backoff(5); got != 10*time.Second {
		t.Errorf("custom Backoff(5) = %v", got)
	}
	// The default fail limit gives a dead tracker about an hour.
	total := time.Duration(0)
	for f := 1; f < DefaultMaxFailCount; f++ {
		total += s.Backoff(f)
	}
	if total < 50*time.Minute || total > 70*time.Minute {
		t.Errorf("retries span %v", total)
	}
}

func TestUnlimitedFailures(t *testing.T) {
	l := NewList([][]string{{"a"}}, Settings{MaxFailCount: -1}, nil)
	l.Start()
	now := t0
	for i := 0; i < 200; i++ {
		jobs := l.Due(now)
		if len(jobs) != 1 {
			t.Fatalf("attempt %d: %d jobs", i, len(jobs))
		}
		l.Failed(jobs[0].Entry, errDown, now)
		next := l.Next(now)
		if d := next.Sub(now); d <= 0 || d > time.Hour {
			t.Fatalf("attempt %d: wait %v", i, d)
		}
		now = next
	}
	if st := l.Trackers()[0]; st.NotWorking || st.FailLimit != 0 || st.Fails != 200 {
		t.Fatalf("%+v", st)
	}
}

func TestEventString(t *testing.T) {
	for e, want := range map[Event]string{
		EventNone: "none", EventCompleted: "completed", EventStarted: "started", EventStopped: "stopped", 9: "unknown",
	} {
		if e.String() != want {
			t.Errorf("%d: %q", int(e), e.String())
		}
	}
}

func TestFilterPeers(t *testing.T) {
	self := netip.MustParseAddrPort("10.0.0.1:6881")
	peers := []netip.AddrPort{
		netip.MustParseAddrPort("10.0.0.2:1"), self, netip.MustParseAddrPort("[::1]:2"), self,
	}
	got := FilterPeers(peers, func(p netip.AddrPort) bool { return p == self })
	if len(got) != 2 || got[0].Port() != 1 || got[1].Port() != 2 {
		t.Fatalf("%v", got)
	}
	if peers[3].IsValid() {
		t.Fatal("stale tail left behind")
	}
}

func TestErrors(t *testing.T) {
	fe := error(&FailureError{Reason: "nope"})
	var target *FailureError
	if !errors.As(fe, &target) || fe.Error() != "tracker: failure: nope" {
		t.Fatal(fe)
	}
	for _, tc := range []struct {
		err  *StatusError
		want string
	}{
		{&StatusError{Code: 500}, "tracker: HTTP status 500"},
		{&StatusError{Code: 404, Status: "404 Not Found", Reason: "unregistered"}, "tracker: HTTP status 404 Not Found: unregistered"},
	} {
		if tc.err.Error() != tc.want {
			t.Errorf("%q", tc.err.Error())
		}
	}
}
