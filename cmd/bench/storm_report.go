package main

import (
	"fmt"
	"time"
)

// stormRun is one storm against one fresh seeder.
type stormRun struct {
	storm   string // the storm's name
	side    string
	run     int
	sent    int           // storm messages written whole before the seeder closed (all: stormMessages)
	early   bool          // the seeder closed before the storm's end was written
	replies int64         // messages the seeder sent the storming peer
	wall    time.Duration // first write to the seeder closing the connection
	cpu     time.Duration // the seeder's CPU from the first write to the health check's block
	anonKiB int64         // peak RssAnon over the storm minus RssAnon before it
	note    string        // why the seeder closed early, when it did; libtorrent's alert
}

// cpuPerMillion is the seeder's CPU seconds per million messages it took;
// NaN when it took none.
func (r stormRun) cpuPerMillion() float64 {
	if r.sent <= 0 {
		return nan()
	}
	return r.cpu.Seconds() / (float64(r.sent) / 1e6)
}

// rate is the messages the seeder took per second of wall time, in
// millions: how fast it reads a storm.
func (r stormRun) rate() float64 {
	if r.wall <= 0 {
		return nan()
	}
	return float64(r.sent) / 1e6 / r.wall.Seconds()
}

// detail is the "#" line of one run.
func (r stormRun) detail() string {
	s := fmt.Sprintf("# %s_%s run %d %-10s msgs=%d wall=%.2fs (%s) cpu=%.2fs (%s) rss_growth=%.1fMiB replies=%d",
		lineStorms, r.storm, r.run, r.side, r.sent, r.wall.Seconds(), fmtValue(r.rate(), 2, "M msg/s"),
		r.cpu.Seconds(), fmtValue(r.cpuPerMillion(), 3, "s/M"), float64(r.anonKiB)/1024, r.replies)
	if r.early {
		s += " closed_early"
	}
	if r.note != "" {
		s += " " + r.note
	}
	return s
}

// stormSummary is a storm's two lines, medians over runs: the seeder's
// CPU seconds per million messages and its RssAnon growth in MiB, ratio
// ours/libtorrent, then a "#" line when a side's seeder closed early.
func stormSummary(name string, runs []stormRun) []string {
	var cpu, rss, taken [2][]float64 // ours, libtorrent
	var early [2]int
	for _, r := range runs {
		i := 0
		if r.side == sideLibtorrent {
			i = 1
		}
		cpu[i] = append(cpu[i], r.cpuPerMillion())
		rss[i] = append(rss[i], float64(r.anonKiB)/1024)
		taken[i] = append(taken[i], float64(r.sent))
		if r.early {
			early[i]++
		}
	}
	lines := []string{
		benchLine(lineStorms+"_"+name, "s/M", 3, median(cpu[0]), median(cpu[1])),
		benchLine(lineStormsRSS+"_"+name, "MiB", 1, median(rss[0]), median(rss[1])),
	}
	for i, side := range []string{sideOurs, sideLibtorrent} {
		if early[i] > 0 {
			lines = append(lines, fmt.Sprintf("# %s_%s: %s's seeder dropped the storming peer early in %d of %d runs "+
				"(median %.0f messages written); its figures are per message it took", lineStorms, name, side,
				early[i], len(taken[i]), median(taken[i])))
		}
	}
	return lines
}
