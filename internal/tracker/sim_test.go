package tracker

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// outcome decides how a tracker answers a job: a response or an error, after
// latency.
type outcome func(j Job) (resp AnnounceResponse, err error, latency time.Duration)

// result is an answer waiting for its virtual moment.
type result struct {
	at   time.Time
	job  Job
	resp AnnounceResponse
	err  error
}

// simulate drives l like the torrent actor will, in virtual time from t0
// until end: run what Due returns, deliver answers when they are due, sleep
// until Next. It returns the time of every attempt and fails the test if
// Next ever asks to wake at or before now with nothing due (a spin).
func simulate(t *testing.T, l *List, end time.Time, out outcome) []time.Time {
	t.Helper()
	var attempts []time.Time
	var pending []result
	now := t0
	for iter := 0; ; iter++ {
		if iter > 1_000_000 {
			t.Fatalf("simulation did not settle by %v", now.Sub(t0))
		}
		for _, j := range l.Due(now) {
			attempts = append(attempts, now)
			resp, err, lat := out(j)
			pending = append(pending, result{now.Add(lat), j, resp, err})
		}
		wake := l.Next(now)
		if !wake.IsZero() && !wake.After(now) {
			t.Fatalf("spin at %v: Due is empty but Next = %v", now.Sub(t0), wake.Sub(t0))
		}
		slices.SortStableFunc(pending, func(a, b result) int { return a.at.Compare(b.at) })
		if len(pending) > 0 && (wake.IsZero() || pending[0].at.Before(wake)) {
			wake = pending[0].at
		}
		if wake.IsZero() || wake.After(end) {
			return attempts
		}
		now = wake
		for len(pending) > 0 && !pending[0].at.After(now) {
			r := pending[0]
			pending = pending[1:]
			if r.err != nil {
				l.Failed(r.job.Entry, r.err, now)
			} else {
				l.Succeeded(r.job.Entry, r.resp, now)
			}
		}
	}
}

// maxPerMinute is the most attempts in any one-minute window.
func maxPerMinute(attempts []time.Time) int {
	most := 0
	for i, a := range attempts {
		n := 0
		for _, b := range attempts[i:] {
			if b.Sub(a) >= time.Minute {
				break
			}
			n++
		}
		most = max(most, n)
	}
	return most
}

func deadTracker(latency time.Duration) outcome {
	return func(Job) (AnnounceResponse, error, time.Duration) { return AnnounceResponse{}, errDown, latency }
}

// TestDeadTrackersDoNotSpin is the "150 dead trackers" requirement: in
// every tier layout and setting, a virtual hour costs at most the attempt
// budget per minute (10 at once, then one per 5 s), every tracker ends not
// working after DefaultMaxFailCount attempts, and then nothing more happens.
func TestDeadTrackersDoNotSpin(t *testing.T) {
	urls := manyURLs(150)
	layouts := map[string][][]string{"one tier": {urls}, "150 tiers": {}, "15 tiers": {}}
	for i, u := range urls {
		layouts["150 tiers"] = append(layouts["150 tiers"], []string{u})
		if i%10 == 0 {
			layouts["15 tiers"] = append(layouts["15 tiers"], nil)
		}
		last := len(layouts["15 tiers"]) - 1
		layouts["15 tiers"][last] = append(layouts["15 tiers"][last], u)
	}
	settings := map[string]Settings{
		"bep12":        {},
		"all trackers": {AnnounceToAllTrackers: true},
		"all tiers":    {AnnounceToAllTiers: true},
		"both":         {AnnounceToAllTrackers: true, AnnounceToAllTiers: true},
	}
	const perMinute = DefaultAttemptBurst + int(time.Minute/DefaultAttemptEvery)
	for lname, tiers := range layouts {
		for sname, set := range settings {
			for _, latency := range []time.Duration{0, 30 * time.Second} {
				name := fmt.Sprintf("%s/%s/latency %v", lname, sname, latency)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					l := NewList(tiers, set, nil)
					l.Start()
					hour := simulate(t, l, t0.Add(time.Hour), deadTracker(latency))
					if n := maxPerMinute(hour); n > perMinute {
						t.Fatalf("%d attempts in one minute, budget allows %d", n, perMinute)
					}
					if len(hour) == 0 {
						t.Fatal("no attempts at all")
					}
					// Continue the same list until it has given up on everyone.
					l2 := NewList(tiers, set, nil)
					l2.Start()
					all := simulate(t, l2, t0.Add(48*time.Hour), deadTracker(latency))
					if want := 150 * DefaultMaxFailCount; len(all) != want {
						t.Fatalf("%d attempts in total, want %d", len(all), want)
					}
					for _, s := range l2.Trackers() {
						if !s.NotWorking || s.Fails != DefaultMaxFailCount {
							t.Fatalf("%s: fails=%d notWorking=%v", s.URL, s.Fails, s.NotWorking)
						}
					}
					last := all[len(all)-1]
					t.Logf("first hour: %d attempts, at most %d a minute; all %d not working after %v",
						len(hour), maxPerMinute(hour), len(urls), last.Sub(t0).Round(time.Minute))
					if !l2.Next(last).IsZero() || len(l2.Due(last.Add(24*time.Hour))) != 0 {
						t.Fatal("dead trackers still scheduled")
					}
				})
			}
		}
	}
}

// TestOneLiveTrackerAmongDead: the live tracker is found and announced at
// its interval; the dead ones stop costing anything.
func TestOneLiveTrackerAmongDead(t *testing.T) {
	urls := manyURLs(150)
	live := urls[149]
	l := NewList([][]string{urls}, Settings{}, nil)
	l.Start()
	liveAnnounces := 0
	attempts := simulate(t, l, t0.Add(6*time.Hour), func(j Job) (AnnounceResponse, error, time.Duration) {
		if j.URL == live {
			liveAnnounces++
			return AnnounceResponse{Interval: 30 * time.Minute}, nil, time.Second
		}
		return AnnounceResponse{}, errDown, 0
	})
	if n := maxPerMinute(attempts); n > DefaultAttemptBurst+12 {
		t.Fatalf("%d attempts in one minute", n)
	}
	// Found within the budget's time for 150 first attempts (~12 min), then
	// every 30 min: about 11 announces in 6 h, and the dead are never
	// retried once the live one holds the tier.
	if liveAnnounces < 10 || liveAnnounces > 13 {
		t.Fatalf("live tracker announced %d times in 6 h", liveAnnounces)
	}
	if len(attempts) != 149+liveAnnounces {
		t.Fatalf("%d attempts, want %d", len(attempts), 149+liveAnnounces)
	}
	if first := l.Trackers()[0]; first.URL != live || !first.Working {
		t.Fatalf("front of tier: %+v", first)
	}
}

// TestHostileIntervals: trackers that answer interval 0 or 10^9 s neither
// make us spin nor silence us.
func TestHostileIntervals(t *testing.T) {
	for _, tc := range []struct {
		name        string
		resp        AnnounceResponse
		hours       time.Duration
		least, most int
	}{
		{"zero", AnnounceResponse{Interval: 0, MinInterval: 0}, 1, 3, 3},   // absent: default 30 min
		{"one second", AnnounceResponse{Interval: time.Second}, 1, 12, 13}, // clamped to 5 min
		{"huge", AnnounceResponse{Interval: 1e9 * time.Second}, 6, 3, 4},   // clamped to 2 h
		{"negative", AnnounceResponse{Interval: -time.Hour, MinInterval: -1}, 1, 3, 3},
		{"min above interval", AnnounceResponse{Interval: 10 * time.Minute, MinInterval: 1e9 * time.Second}, 1, 6, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewList([][]string{{"a"}}, Settings{}, nil)
			l.Start()
			n := len(simulate(t, l, t0.Add(tc.hours*time.Hour), func(Job) (AnnounceResponse, error, time.Duration) {
				return tc.resp, nil, 0
			}))
			if n < tc.least || n > tc.most {
				t.Fatalf("%d announces in %d h, want %d..%d", n, tc.hours, tc.least, tc.most)
			}
		})
	}
}
