package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// swarmRun is one run of a swarm line on one side: when each leecher
// reported its download finished, counted from just before the first
// leecher was started.
type swarmRun struct {
	side     string
	run      int
	finishes []time.Duration // one per leecher, in any order
}

// last is when the last leecher finished: the line's figure. A run
// without leechers has none, NaN.
func (r swarmRun) last() float64 {
	if len(r.finishes) == 0 {
		return nan()
	}
	return slices.Max(r.finishes).Seconds()
}

// detail is the "#" line of one run: the last, first and median finish.
func (r swarmRun) detail(name string) string {
	secs := make([]float64, len(r.finishes))
	for i, d := range r.finishes {
		secs[i] = d.Seconds()
	}
	first := nan()
	if len(secs) > 0 {
		first = slices.Min(secs)
	}
	return fmt.Sprintf("# %s run %d %-10s leechers=%d last=%s first=%s median=%s", name, r.run, r.side, len(secs),
		fmtValue(r.last(), 2, "s"), fmtValue(first, 2, "s"), fmtValue(median(secs), 2, "s"))
}

// swarmSummary is a swarm line: the medians over runs of each side's last
// finish, in seconds, ratio ours/libtorrent (below 1: ours finish sooner).
func swarmSummary(name string, runs []swarmRun) string {
	var last [2][]float64 // ours, libtorrent
	for _, r := range runs {
		i := 0
		if r.side == sideLibtorrent {
			i = 1
		}
		last[i] = append(last[i], r.last())
	}
	return benchLine(name, "s", 2, median(last[0]), median(last[1]))
}

// ourFinishedRE matches the line `demo download` prints once every piece
// is verified on disk (runOurs reads the same one at exit).
var ourFinishedRE = regexp.MustCompile(`^downloaded (\d+) bytes in [0-9.]+ ?s`)

// parseOurFinished reads the byte count from `demo download`'s finish
// line; ok is false for any other line.
func parseOurFinished(line string) (bytes int64, ok bool) {
	m := ourFinishedRE.FindStringSubmatch(line)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	return n, err == nil
}

// scrapeCompleteRE finds the seed count in opentracker's scrape reply,
// "d5:filesd20:<hash>d8:completei<N>e10:downloadedi..e10:incompletei..eeee".
var scrapeCompleteRE = regexp.MustCompile(`8:completei(\d+)e`)

// scrapeComplete returns the "complete" count of a one-torrent scrape
// reply, ok false when there is none (a failure reply, an unknown hash).
func scrapeComplete(body []byte) (n int, ok bool) {
	m := scrapeCompleteRE.FindSubmatch(body)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(string(m[1]))
	return n, err == nil
}
