package tracker

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// t0 is the virtual epoch of every scheduling test.
var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// never is the expected Next offset meaning "zero time: no wake-up".
const never = time.Duration(-1)

// errDown stands for any transport failure (connection refused, timeout).
var errDown = errors.New("connection refused")

// step is one row of a scheduling table: at t0+at, apply do in order, then
// Due must return jobs (each "url event", in order) and Next must be
// t0+next (or zero for never).
type step struct {
	at   time.Duration
	do   []action
	jobs []string
	next time.Duration
}

// action is something that happens to the list at a step's time.
type action func(t *testing.T, l *List, now time.Time)

func idOf(t *testing.T, l *List, url string) EntryID {
	t.Helper()
	for _, s := range l.Trackers() {
		if s.URL == url {
			return s.Entry
		}
	}
	t.Fatalf("no tracker %q", url)
	return 0
}

func start() action { return func(_ *testing.T, l *List, _ time.Time) { l.Start() } }
func stop() action  { return func(_ *testing.T, l *List, _ time.Time) { l.Stop() } }
func completed() action {
	return func(_ *testing.T, l *List, _ time.Time) { l.Completed() }
}
func force() action {
	return func(_ *testing.T, l *List, now time.Time) { l.ForceReannounce(now) }
}
func add(url string, tier int) action {
	return func(_ *testing.T, l *List, _ time.Time) { l.Add(url, tier) }
}
func replace(tiers ...[]string) action {
	return func(_ *testing.T, l *List, _ time.Time) { l.Replace(tiers) }
}

// ok answers url's job with resp.
func ok(url string, resp AnnounceResponse) action {
	return func(t *testing.T, l *List, now time.Time) { l.Succeeded(idOf(t, l, url), resp, now) }
}

// okIn answers url's job with an interval and nothing else.
func okIn(url string, interval time.Duration) action {
	return ok(url, AnnounceResponse{Interval: interval, Complete: -1, Incomplete: -1, Downloaded: -1})
}

func fail(url string) action { return failWith(url, errDown) }

func failWith(url string, err error) action {
	return func(t *testing.T, l *List, now time.Time) { l.Failed(idOf(t, l, url), err, now) }
}

// run plays steps against l. Steps must be in time order.
func run(t *testing.T, l *List, steps []step) {
	t.Helper()
	for i, s := range steps {
		now := t0.Add(s.at)
		for _, a := range s.do {
			a(t, l, now)
		}
		got := fmtJobs(l.Due(now))
		if strings.Join(got, ", ") != strings.Join(s.jobs, ", ") {
			t.Fatalf("step %d (t=%v): jobs %q, want %q\n%s", i, s.at, got, s.jobs, dump(l))
		}
		next := l.Next(now)
		want := time.Time{}
		if s.next != never {
			want = t0.Add(s.next)
		}
		if !next.Equal(want) {
			t.Fatalf("step %d (t=%v): next %s, want %s\n%s", i, s.at, offset(next), offset(want), dump(l))
		}
	}
}

func fmtJobs(jobs []Job) []string {
	out := []string{}
	for _, j := range jobs {
		out = append(out, j.URL+" "+j.Event.String())
	}
	return out
}

func offset(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Sub(t0).String()
}

func dump(l *List) string {
	var b strings.Builder
	for _, s := range l.Trackers() {
		fmt.Fprintf(&b, "  %s tier=%d fails=%d working=%v dead=%v updating=%v next=%s\n",
			s.URL, s.Tier, s.Fails, s.Working, s.NotWorking, s.Updating, offset(s.NextAnnounce))
	}
	return b.String()
}
