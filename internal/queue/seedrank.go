package queue

import "time"

// Seed rank flags, libtorrent's (torrent::seed_rank): a higher rank seeds
// first. The flags order the classes; the low bits rank within a class.
const (
	rankGoalNotMet       = 0x40000000 // no seeding goal met yet
	rankNoSeeds          = 0x20000000 // nobody else seeds it
	rankRecentlyStarted  = 0x10000000 // running for less than recentRun
	rankMask             = 0x0fffffff
	recentRun            = 30 * time.Minute
	rankScaleSeed        = 1000
	rankScalePartialSeed = 500 // finished but not every piece: less worth seeding
)

// SeedRank returns the torrent's seed rank at now (torrent_status's
// seed_rank): 0 unless finished; seeds are given slots in decreasing rank.
func (q *Queue[ID]) SeedRank(now time.Time, id ID) int {
	e, ok := q.torrents[id]
	if !ok {
		return 0
	}
	return q.seedRank(e, now)
}

// GoalMet reports whether the finished torrent met one of its seeding
// goals at now (and so yields its seed slot to torrents that did not).
func (q *Queue[ID]) GoalMet(now time.Time, id ID) bool {
	e, ok := q.torrents[id]
	return ok && e.state.finished() && !q.goalNotMet(e, now)
}

func (q *Queue[ID]) seedRank(e *entry[ID], now time.Time) int {
	if !e.state.finished() {
		return 0
	}
	rank := 0
	if q.goalNotMet(e, now) {
		rank |= rankGoalNotMet
	}
	// A seed started less than half an hour ago keeps its slot against
	// equals, so that seeds do not take turns every pass. libtorrent 1.1
	// measures this run; 2.0's code measures the whole active time,
	// against its own comment: we follow the comment.
	if e.started != 0 && now.Sub(q.timeOf(e.started)) < recentRun {
		rank |= rankRecentlyStarted
	}
	scale := rankScaleSeed
	if e.state != StateSeeding {
		scale = rankScalePartialSeed
	}
	seeds, leechers := max(e.stats.Seeds, 0), max(e.stats.Leechers, 0)
	if seeds == 0 {
		// The only seed: rank by how many wait for it.
		return rank | rankNoSeeds | leechers&rankMask
	}
	return rank | ((1+leechers)*scale/seeds)&rankMask
}

// goalNotMet is libtorrent's test, whole seconds and integer percent as
// it computes them: finished time under seed_time_limit, finished time
// over download time under seed_time_ratio_limit and uploaded over
// downloaded (at least the torrent's size) under share_ratio_limit. Like
// libtorrent, a torrent that spent at most a second downloading (added
// complete) has no seed time ratio and so counts as having met its goals.
func (q *Queue[ID]) goalNotMet(e *entry[ID], now time.Time) bool {
	s := q.settings
	active := int64(q.activeTime(e, now) / time.Second)
	fin := int64(q.finishedTime(e, now) / time.Second)
	download := active - fin
	downloaded := max(e.stats.TotalDownload, e.stats.Size)
	return fin < int64(s.SeedTimeLimit/time.Second) &&
		download > 1 && fin*100/download < int64(s.SeedTimeRatioLimit) &&
		downloaded > 0 && e.stats.TotalUpload*100/downloaded < int64(s.ShareRatioLimit)
}
