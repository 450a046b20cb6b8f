package queue

import (
	"slices"
	"testing"
	"time"
)

const hour = time.Hour

func TestGoals(t *testing.T) {
	tests := []struct {
		name  string
		stats Stats
		met   bool
	}{
		{"none met", Stats{TotalDownload: 1000, Size: 1000, TotalUpload: 1999, ActiveTime: 10 * hour, FinishedTime: hour}, false},
		{"share ratio 200 %", Stats{TotalDownload: 1000, Size: 1000, TotalUpload: 2000, ActiveTime: 10 * hour, FinishedTime: hour}, true},
		{"the share ratio counts at least the size", Stats{TotalDownload: 10, Size: 1000, TotalUpload: 1999, ActiveTime: 10 * hour, FinishedTime: hour}, false},
		{"the share ratio counts what was downloaded past the size", Stats{TotalDownload: 2000, Size: 1000, TotalUpload: 3999, ActiveTime: 10 * hour, FinishedTime: hour}, false},
		{"seed time ratio 700 %", Stats{TotalDownload: 1000, Size: 1000, ActiveTime: 8 * hour, FinishedTime: 7 * hour}, true},
		{"seed time ratio just under", Stats{TotalDownload: 1000, Size: 1000, ActiveTime: 8*hour + time.Second, FinishedTime: 7 * hour}, false},
		{"seed time limit 24 h", Stats{TotalDownload: 1000, Size: 1000, ActiveTime: 100 * hour, FinishedTime: 24 * hour}, true},
		{"no download time: added complete", Stats{Size: 1000, ActiveTime: hour, FinishedTime: hour}, true},
		{"one second of download time", Stats{Size: 1000, ActiveTime: hour + time.Second, FinishedTime: hour}, true},
		{"empty torrent", Stats{ActiveTime: 10 * hour, FinishedTime: hour}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := New[int](DefaultSettings())
			q.Add(t0, 0, Torrent{AutoManaged: true, Paused: true, State: StateSeeding})
			q.Observe(t0, 0, tt.stats)
			if got := q.GoalMet(t0, 0); got != tt.met {
				t.Fatalf("GoalMet = %v, want %v", got, tt.met)
			}
			if got := q.SeedRank(t0, 0)&rankGoalNotMet != 0; got == tt.met {
				t.Fatalf("rank %#x disagrees with GoalMet %v", q.SeedRank(t0, 0), tt.met)
			}
		})
	}
}

// TestGoalTimesRunOn: the times the queue judges by run on from the last
// report while the torrent runs, and stop when it stops.
func TestGoalTimesRunOn(t *testing.T) {
	q := New[int](DefaultSettings())
	q.Add(t0, 0, Torrent{AutoManaged: true, State: StateSeeding})
	q.Observe(t0, 0, Stats{Size: 1000, TotalDownload: 1000, ActiveTime: 100 * hour, FinishedTime: 23 * hour})
	if q.GoalMet(t0.Add(hour-time.Second), 0) {
		t.Fatal("goal met before 24 h of finished time")
	}
	if !q.GoalMet(t0.Add(hour), 0) {
		t.Fatal("goal not met after 24 h of finished time")
	}
	q.SetPaused(t0.Add(10*time.Minute), 0, true)
	if q.GoalMet(t0.Add(10*hour), 0) {
		t.Fatal("a paused torrent's finished time ran on")
	}
	q.SetPaused(t0.Add(20*hour), 0, false)
	if !q.GoalMet(t0.Add(20*hour+50*time.Minute), 0) {
		t.Fatal("the finished time did not add up across runs")
	}
}

// TestFinishedClockStartsAtFinish: a torrent that finishes while running
// counts finished time from then on, not from its start.
func TestFinishedClockStartsAtFinish(t *testing.T) {
	s := DefaultSettings()
	s.SeedTimeLimit = hour
	q := New[int](s)
	q.Add(t0, 0, Torrent{AutoManaged: true, State: StateDownloading})
	q.Observe(t0, 0, Stats{Size: 1000})
	q.SetState(t0.Add(2*hour), 0, StateSeeding)
	if q.GoalMet(t0.Add(2*hour+59*time.Minute), 0) {
		t.Fatal("finished time counted from the start")
	}
	if !q.GoalMet(t0.Add(3*hour), 0) {
		t.Fatal("finished time not counted after finishing")
	}
}

func TestSeedRank(t *testing.T) {
	notMet := Stats{Size: 1000, TotalDownload: 1000, ActiveTime: 10 * hour, FinishedTime: hour}
	met := Stats{Size: 1000, TotalDownload: 1000, TotalUpload: 5000, ActiveTime: 10 * hour, FinishedTime: hour}
	with := func(s Stats, seeds, leechers int) Stats { s.Seeds, s.Leechers = seeds, leechers; return s }
	tests := []struct {
		name    string
		state   State
		running bool
		stats   Stats
		want    int
	}{
		{"downloading", StateDownloading, false, notMet, 0},
		{"alone, goal not met", StateSeeding, false, with(notMet, 0, 7), rankGoalNotMet | rankNoSeeds | 7},
		{"alone, goal met", StateSeeding, false, with(met, 0, 7), rankNoSeeds | 7},
		{"other seeds", StateSeeding, false, with(met, 4, 7), (1 + 7) * 1000 / 4},
		{"partial seed", StateFinished, false, with(met, 4, 7), (1 + 7) * 500 / 4},
		{"running a while", StateSeeding, true, with(met, 4, 7), rankRecentlyStarted | (1+7)*1000/4},
		{"unknown counts", StateSeeding, false, with(met, -1, -1), rankNoSeeds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := New[int](DefaultSettings())
			q.Add(t0, 0, Torrent{AutoManaged: true, Paused: !tt.running, State: tt.state})
			q.Observe(t0, 0, tt.stats)
			if got := q.SeedRank(at(60), 0); got != tt.want {
				t.Fatalf("SeedRank = %#x, want %#x", got, tt.want)
			}
		})
	}
	q := New[int](DefaultSettings())
	q.Add(t0, 0, Torrent{AutoManaged: true, State: StateSeeding})
	if q.SeedRank(t0.Add(30*time.Minute), 0)&rankRecentlyStarted != 0 {
		t.Fatal("still recently started after 30 minutes")
	}
}

// TestGoalsFreeSeedSlots: with one seed slot, a seed that meets its goal
// yields the slot to one that has not, at once, even within its first
// half hour; python3-libtorrent 2.0.8 likewise seeds the torrent whose
// share ratio is under the limit.
func TestGoalsFreeSeedSlots(t *testing.T) {
	s := quiet()
	s.ActiveSeeds = 1
	q := New[int](s)
	notMet := Stats{Size: 1000, TotalDownload: 1000, ActiveTime: 10 * hour, FinishedTime: hour}
	for i := range 3 {
		q.Add(t0, i, Torrent{AutoManaged: true, Paused: true, State: StateSeeding})
		q.Observe(t0, i, notMet)
	}
	met := notMet
	met.TotalUpload = 10_000
	q.Observe(t0, 0, met)
	if d := q.Decide(t0); !slices.Equal(d.Start, []int{1}) {
		t.Fatalf("first pass starts %v, want the first seed without its goal", d.Start)
	}
	q.Observe(at(60), 1, met)
	d := q.Decide(at(60))
	if !slices.Equal(d.Start, []int{2}) || !slices.Equal(d.Pause, []int{1}) {
		t.Fatalf("after 1 met its goal: %+v", d)
	}
	q.Observe(at(90), 2, met)
	q.Decide(at(90))
	if got := runningIDs(q); !slices.Equal(got, []int{2}) {
		t.Fatalf("all goals met: running %v, want 2 (recently started) to keep its slot", got)
	}
	q.Decide(at(60 + 30*60 + 1))
	if got := runningIDs(q); !slices.Equal(got, []int{0}) {
		t.Fatalf("after half an hour: running %v, want the first added among equals", got)
	}
}
