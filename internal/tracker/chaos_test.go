package tracker

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestChaos drives lists with random calls and random tracker behaviour
// (hostile intervals included) and checks the invariants that keep the
// torrent actor safe: no spin, never two jobs out for one tracker, Due adds
// at most one job per tier, and none to a tier whose job out is awaited (to
// a working tracker, or sent less than FailoverAfter ago), unless
// AnnounceToAllTrackers, stopped only to trackers that know us, nothing but
// stopped after Stop.
func TestChaos(t *testing.T) {
	sets := []Settings{{}, {AnnounceToAllTrackers: true}, {AnnounceToAllTiers: true},
		{AnnounceToAllTrackers: true, AnnounceToAllTiers: true, MaxFailCount: -1}}
	for seed := uint64(1); seed <= 40; seed++ {
		set := sets[seed%uint64(len(sets))]
		t.Run(fmt.Sprint(seed), func(t *testing.T) { chaos(t, seed, set) })
	}
}

func chaos(t *testing.T, seed uint64, set Settings) {
	rng := rand.New(rand.NewPCG(seed, 99))
	randTiers := func() [][]string {
		tiers := make([][]string, 1+rng.IntN(4))
		for i := range tiers {
			for j := rng.IntN(5); j >= 0; j-- {
				tiers[i] = append(tiers[i], fmt.Sprintf("u%d", rng.IntN(12)))
			}
		}
		return tiers
	}
	l := NewList(randTiers(), set, rand.New(rand.NewPCG(seed, 1)))
	inflight := map[EntryID]Job{}
	sentAt := map[EntryID]time.Time{}
	var pending []result
	now := t0
	stopped := true
	issued := 0
	for iter := 0; iter < 3000; iter++ {
		switch r := rng.IntN(100); {
		case r < 3:
			l.Start()
			stopped = false
		case r < 5:
			l.Stop()
			stopped = true
		case r < 6:
			l.Completed()
		case r < 8:
			l.ForceReannounce(now)
		case r < 9:
			l.Add(fmt.Sprintf("u%d", rng.IntN(15)), rng.IntN(4))
		case r < 10:
			l.Replace(randTiers())
		}
		busyTiers := map[int]bool{}
		for _, st := range l.Trackers() {
			if st.Updating && (st.Working || now.Sub(sentAt[st.Entry]) < DefaultFailoverAfter) {
				busyTiers[st.Tier] = true
			}
		}
		for _, j := range l.Due(now) {
			if !set.AnnounceToAllTrackers && j.Event != EventStopped {
				if busyTiers[j.Tier] {
					t.Fatalf("second job in tier %d (%s)", j.Tier, j.URL)
				}
				busyTiers[j.Tier] = true
			}
			if _, dup := inflight[j.Entry]; dup {
				t.Fatalf("two jobs out for %s", j.URL)
			}
			st, ok := l.Status(j.Entry)
			if !ok || !st.Updating {
				t.Fatalf("job for %s not marked busy", j.URL)
			}
			if stopped != (j.Event == EventStopped) {
				t.Fatalf("%s event with stopped=%v", j.Event, stopped)
			}
			if j.Event == EventStopped && !st.StartSent {
				t.Fatalf("stopped to %s, which does not know us", j.URL)
			}
			inflight[j.Entry] = j
			sentAt[j.Entry] = now
			issued++
			var resp AnnounceResponse
			var err error
			switch rng.IntN(4) {
			case 0, 1:
				resp = AnnounceResponse{Interval: []time.Duration{0, time.Second, 30 * time.Minute, 1e9 * time.Second, -5}[rng.IntN(5)],
					MinInterval: time.Duration(rng.IntN(3)) * time.Hour, Complete: rng.IntN(3) - 1, Incomplete: -1, Downloaded: -1}
			case 2:
				err = errDown
			default:
				err = &FailureError{Reason: "x", RetryIn: time.Duration(rng.Int64N(1 << 62)), Never: rng.IntN(10) == 0}
			}
			pending = append(pending, result{now.Add(time.Duration(rng.IntN(40)) * time.Second), j, resp, err})
		}
		wake := l.Next(now)
		if !wake.IsZero() && !wake.After(now) {
			t.Fatalf("spin at %v", now.Sub(t0))
		}
		// Advance to the next wake, the next answer or a random moment.
		step := now.Add(time.Duration(1+rng.IntN(600)) * time.Second)
		if !wake.IsZero() && wake.Before(step) {
			step = wake
		}
		for _, p := range pending {
			if p.at.Before(step) {
				step = p.at
			}
		}
		if step.After(now) {
			now = step
		}
		rest := pending[:0]
		for _, p := range pending {
			if p.at.After(now) {
				rest = append(rest, p)
				continue
			}
			delete(inflight, p.job.Entry)
			if p.err != nil {
				l.Failed(p.job.Entry, p.err, now)
			} else {
				l.Succeeded(p.job.Entry, p.resp, now)
			}
		}
		pending = rest
	}
	if issued < 50 {
		t.Fatalf("only %d jobs in 3000 steps: the run tests nothing", issued)
	}
}
