package tracker

import (
	"testing"
	"time"
)

const (
	sec    = time.Second
	minute = time.Minute
)

// Backoffs with the default settings: 5 s × (1 + 2.5·n²).
const (
	back1 = 17500 * time.Millisecond
	back2 = 55 * sec
	// fo is how long a job out to a tracker not known to work holds its
	// tier (Next wakes then when failing over would try something).
	fo = DefaultFailoverAfter
)

func TestSchedule(t *testing.T) {
	allTrackers := Settings{AnnounceToAllTrackers: true}
	allTiers := Settings{AnnounceToAllTiers: true}
	both := Settings{AnnounceToAllTrackers: true, AnnounceToAllTiers: true}
	tests := []struct {
		name  string
		tiers [][]string
		set   Settings
		steps []step
	}{
		{"nothing before start", [][]string{{"a"}}, Settings{}, []step{
			{0, nil, nil, never},
			{time.Hour, nil, nil, never},
		}},
		{"one tracker, regular interval", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{1 * sec, []action{okIn("a", 30*minute)}, nil, 30*minute + 1*sec},
			{10 * minute, nil, nil, 30*minute + 1*sec},
			{30*minute + 1*sec, nil, []string{"a none"}, never},
			{30*minute + 2*sec, []action{okIn("a", 45*minute)}, nil, 75*minute + 2*sec},
		}},
		{"start twice is one start", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start(), start()}, []string{"a started"}, never},
			{1 * sec, []action{okIn("a", 30*minute), start()}, nil, 30*minute + 1*sec},
		}},
		{"interval 0 clamps to the minimum", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{0, []action{okIn("a", 0)}, nil, 30 * minute}, // absent: the default
			{30 * minute, nil, []string{"a none"}, never},
			{30 * minute, []action{okIn("a", 1)}, nil, 35 * minute},
		}},
		{"absurd interval clamps to the maximum", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{0, []action{okIn("a", 1e9*sec)}, nil, 2 * time.Hour},
			{2 * time.Hour, nil, []string{"a none"}, never},
		}},
		{"failover within a tier, then back to the first", [][]string{{"a", "b", "c"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, fo},
			{1 * sec, []action{fail("a")}, []string{"b started"}, 1*sec + fo},
			{2 * sec, []action{fail("b")}, []string{"c started"}, 2*sec + fo},
			{3 * sec, []action{fail("c")}, nil, 1*sec + back1},
			{1*sec + back1, nil, []string{"a started"}, 1*sec + back1 + fo},
			{19 * sec, []action{okIn("a", 30*minute)}, nil, 30*minute + 19*sec},
			{30*minute + 19*sec, nil, []string{"a none"}, never},
		}},
		{"the tracker that answers moves to the front", [][]string{{"a", "b"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, fo},
			{0, []action{fail("a")}, []string{"b started"}, fo},
			// b now holds the tier; a's backoff end no longer matters.
			{1 * sec, []action{okIn("b", 30*minute)}, nil, 30*minute + 1*sec},
			{30*minute + 1*sec, nil, []string{"b none"}, never},
		}},
		{"a failing tier falls through to the next", [][]string{{"a"}, {"b"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, fo},
			{1 * sec, []action{fail("a")}, []string{"b started"}, 1*sec + back1},
			{2 * sec, []action{okIn("b", 30*minute)}, nil, 1*sec + back1},
			{1*sec + back1, nil, []string{"a started"}, 1*sec + back1 + fo},
			{19 * sec, []action{fail("a")}, nil, 19*sec + back2},
			{19*sec + back2, nil, []string{"a started"}, 19*sec + back2 + fo},
			// a answers: tier 0 holds again and b is not announced any more.
			{80 * sec, []action{okIn("a", 30*minute)}, nil, 30*minute + 80*sec},
			{30*minute + 80*sec, nil, []string{"a none"}, never},
		}},
		// Issue 8: tier 0 has a garbage HTTP tracker and a dead UDP tracker,
		// tier 1 the live one. Tier 1 is announced as soon as both failed
		// once, in either order; failed trackers still back off.
		{"a dead tier: the next as soon as both failed once", [][]string{{"garbage", "udp"}, {"live"}}, Settings{}, []step{
			{0, []action{start()}, []string{"garbage started"}, fo},
			{0, []action{failWith("garbage", ErrInvalidResponse)}, []string{"udp started"}, fo},
			{2 * sec, []action{failWith("udp", ErrTimeout)}, []string{"live started"}, back1},
			{3 * sec, []action{okIn("live", 30*minute)}, nil, back1},
			{back1, nil, []string{"garbage started"}, back1 + fo},
			{back1, []action{failWith("garbage", ErrInvalidResponse)}, nil, 2*sec + back1},
			{2*sec + back1, nil, []string{"udp started"}, 2*sec + back1 + fo},
		}},
		// The UDP tracker first, and silent (the client gives up only at the
		// completion timeout): after FailoverAfter it counts as failed for
		// the walk, its announce going on.
		{"a silent tracker counts as failed after FailoverAfter", [][]string{{"udp", "garbage"}, {"live"}}, Settings{}, []step{
			{0, []action{start()}, []string{"udp started"}, fo},
			{fo - 1, nil, nil, fo},
			{fo, nil, []string{"garbage started"}, 2 * fo},
			{fo, []action{failWith("garbage", ErrInvalidResponse)}, []string{"live started"}, fo + back1},
			{fo + sec, []action{okIn("live", 30*minute)}, nil, fo + back1},
			{fo + back1, nil, []string{"garbage started"}, 2*fo + back1},
			{fo + back1, []action{failWith("garbage", ErrInvalidResponse)}, nil, fo + back1 + back2},
			// The silent announce fails at last and backs off from there.
			{30 * sec, []action{failWith("udp", ErrTimeout)}, nil, 30*sec + back1},
			{30*sec + back1, nil, []string{"udp started"}, 30*sec + back1 + fo},
			// It answers: tier 0 holds the walk again, tier 1 rests.
			{30*sec + back1, []action{okIn("udp", 30*minute)}, nil, 30*minute + 30*sec + back1},
		}},
		{"a silent tracker that answers late takes its tier back", [][]string{{"a"}, {"b"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, fo},
			{fo, nil, []string{"b started"}, never},
			{fo + sec, []action{okIn("b", 30*minute)}, nil, 30*minute + fo + sec},
			{10 * sec, []action{okIn("a", 30*minute)}, nil, 30*minute + 10*sec},
			{30*minute + 10*sec, nil, []string{"a none"}, never},
		}},
		{"a working tracker is awaited however slow", [][]string{{"a", "b"}, {"c"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, fo},
			{0, []action{okIn("a", 30*minute)}, nil, 30 * minute},
			{30 * minute, nil, []string{"a none"}, never},
			{31 * minute, nil, nil, never},
			{31 * minute, []action{fail("a")}, []string{"b started"}, 31*minute + fo},
		}},
		{"negative FailoverAfter waits for the result", [][]string{{"a", "b"}, {"c"}}, Settings{FailoverAfter: -1}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{time.Minute, nil, nil, never},
			{time.Minute, []action{fail("a")}, []string{"b started"}, never},
		}},
		{"announce_to_all_trackers: a silent tier falls through", [][]string{{"a", "b"}, {"c"}}, allTrackers, []step{
			{0, []action{start()}, []string{"a started", "b started"}, fo},
			{1 * sec, []action{fail("a")}, nil, fo},
			{fo, nil, []string{"c started"}, 1*sec + back1},
		}},
		{"announce_to_all_tiers: a silent tracker gives way in its tier", [][]string{{"a", "b"}, {"c"}}, allTiers, []step{
			{0, []action{start()}, []string{"a started", "c started"}, fo},
			{1 * sec, []action{okIn("c", 30*minute)}, nil, fo},
			// Nothing is left to fail over to: no wake for b's silence.
			{fo, nil, []string{"b started"}, 30*minute + sec},
		}},
		{"announce_to_all_trackers stays in the first tier", [][]string{{"a", "b"}, {"c"}}, allTrackers, []step{
			{0, []action{start()}, []string{"a started", "b started"}, fo},
			{1 * sec, []action{okIn("a", 30*minute)}, nil, 30*minute + 1*sec},
			{2 * sec, []action{fail("b")}, nil, 2*sec + back1},
			{2*sec + back1, nil, []string{"b started"}, 30*minute + 1*sec},
		}},
		{"announce_to_all_trackers falls through a dead tier", [][]string{{"a", "b"}, {"c"}}, allTrackers, []step{
			{0, []action{start()}, []string{"a started", "b started"}, fo},
			{1 * sec, []action{fail("a"), fail("b")}, []string{"c started"}, 1*sec + back1},
		}},
		{"announce_to_all_tiers takes the first of every tier", [][]string{{"a", "b"}, {"c", "d"}}, allTiers, []step{
			{0, []action{start()}, []string{"a started", "c started"}, fo},
			{1 * sec, []action{fail("c")}, []string{"d started"}, fo},
			{2 * sec, []action{okIn("a", 30*minute), okIn("d", 20*minute)}, nil, 20*minute + 2*sec},
			{20*minute + 2*sec, nil, []string{"d none"}, 30*minute + 2*sec},
		}},
		{"both settings announce everything", [][]string{{"a", "b"}, {"c", "d"}}, both, []step{
			{0, []action{start()}, []string{"a started", "b started", "c started", "d started"}, never},
		}},
		{"stopped only to trackers that know us", [][]string{{"a", "b"}}, allTrackers, []step{
			{0, []action{start()}, []string{"a started", "b started"}, never},
			{1 * sec, []action{okIn("a", 30*minute), fail("b")}, nil, 1*sec + back1},
			{2 * sec, []action{stop()}, []string{"a stopped"}, never},
			{3 * sec, []action{okIn("a", 30*minute)}, nil, never},
			{time.Hour, nil, nil, never},
		}},
		{"stopped after a started still in flight", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{1 * sec, []action{stop()}, nil, never},
			{2 * sec, []action{okIn("a", 30*minute)}, []string{"a stopped"}, never},
			{3 * sec, []action{okIn("a", 30*minute)}, nil, never},
		}},
		{"no stopped when the started failed", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{1 * sec, []action{stop(), fail("a")}, nil, never},
		}},
		{"a failed stopped is not retried", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{0, []action{okIn("a", 30*minute), stop()}, []string{"a stopped"}, never},
			{1 * sec, []action{fail("a")}, nil, never},
		}},
		{"restart after stop sends started again at once", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{0, []action{okIn("a", 30*minute), stop()}, []string{"a stopped"}, never},
			{1 * sec, []action{okIn("a", 0)}, nil, never},
			{1 * minute, []action{start()}, []string{"a started"}, never},
		}},
		{"completed skips the interval and min interval", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{1 * sec, []action{ok("a", AnnounceResponse{Interval: 30 * minute, MinInterval: 20 * minute})}, nil, 30*minute + 1*sec},
			{10 * minute, []action{completed()}, []string{"a completed"}, never},
			{11 * minute, []action{okIn("a", 30*minute)}, nil, 41 * minute},
			{41 * minute, nil, []string{"a none"}, never},
		}},
		{"completed while started is in flight", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{1 * sec, []action{completed()}, nil, never},
			{2 * sec, []action{okIn("a", 30*minute)}, []string{"a completed"}, never},
			{3 * sec, []action{okIn("a", 30*minute)}, nil, 30*minute + 3*sec},
		}},
		{"a torrent complete at start never sends completed", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{completed(), start()}, []string{"a started"}, never},
			{1 * sec, []action{okIn("a", 30*minute)}, nil, 30*minute + 1*sec},
			{30*minute + 1*sec, nil, []string{"a none"}, never},
		}},
		{"fail limit makes a tracker cost nothing until forced", [][]string{{"a"}}, Settings{MaxFailCount: 3}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{0, []action{fail("a")}, nil, back1},
			{back1, nil, []string{"a started"}, never},
			{back1, []action{fail("a")}, nil, back1 + back2},
			{back1 + back2, nil, []string{"a started"}, never},
			{back1 + back2, []action{fail("a")}, nil, never},
			{10 * time.Hour, nil, nil, never},
			{10 * time.Hour, []action{force()}, []string{"a started"}, never},
		}},
		{"retry in", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{0, []action{failWith("a", &FailureError{Reason: "busy", RetryIn: 10 * minute})}, nil, 10 * minute},
			{10 * minute, nil, []string{"a started"}, never},
			{10 * minute, []action{failWith("a", &FailureError{Reason: "busy", RetryIn: 1e6 * time.Hour})}, nil, 10*minute + 2*time.Hour},
			{10*minute + 2*time.Hour, nil, []string{"a started"}, never},
			{10*minute + 2*time.Hour, []action{failWith("a", &FailureError{Reason: "gone", Never: true})}, nil, never},
		}},
		{"force reannounce waits for min interval", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{0, []action{ok("a", AnnounceResponse{Interval: 30 * minute, MinInterval: 10 * minute})}, nil, 30 * minute},
			{1 * minute, []action{force()}, nil, 10 * minute},
			{10 * minute, nil, []string{"a none"}, never},
		}},
		{"force reannounce without min interval waits the floor", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{0, []action{okIn("a", 30*minute)}, nil, 30 * minute},
			{1 * sec, []action{force()}, nil, 30 * sec},
		}},
		{"added trackers join the walk", [][]string{{"a"}}, Settings{}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{0, []action{okIn("a", 30*minute), add("b", 0), add("c", 1)}, nil, 30 * minute},
			{1 * sec, []action{add("a", 0)}, nil, 30 * minute}, // duplicate
			{30 * minute, nil, []string{"a none"}, never},
			{30 * minute, []action{fail("a")}, []string{"b started"}, 30*minute + fo},
			{30 * minute, []action{fail("b")}, []string{"c started"}, 30*minute + back1},
		}},
		{"replace revives a dead tracker at once", [][]string{{"a"}}, Settings{MaxFailCount: 1}, []step{
			{0, []action{start()}, []string{"a started"}, never},
			{0, []action{fail("a")}, nil, never},
			{1 * sec, []action{replace([]string{"a"})}, []string{"a started"}, never},
		}},
		{"replace revives and keeps what survives", [][]string{{"a"}, {"b"}}, Settings{MaxFailCount: 1}, []step{
			{0, []action{start()}, []string{"a started"}, fo},
			{0, []action{fail("a")}, []string{"b started"}, never},
			{0, []action{okIn("b", 30*minute)}, nil, 30 * minute},
			{1 * minute, []action{replace([]string{"c", "a"}, []string{"b"})}, []string{"c started"}, 1*minute + fo},
			{1 * minute, []action{fail("c")}, []string{"a started"}, 1*minute + fo},
			{1 * minute, []action{okIn("a", 30*minute)}, nil, 31 * minute},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run(t, NewList(tc.tiers, tc.set, nil), tc.steps)
		})
	}
}
