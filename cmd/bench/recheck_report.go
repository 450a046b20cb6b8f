package main

import (
	"fmt"
	"math"
	"strings"
)

// recheckBar is the part of the SHA-1 limit a full check must reach.
const recheckBar = 0.85

// busyBelow: a round whose all-cores SHA-1 fell below this part of the
// limit ran on a busy machine (something else had a core), and is marked.
const busyBelow = 0.9

func nan() float64 { return math.NaN() }

// recheckLine formats a recheck line: "name: ours=X GiB/s libtorrent=Y
// GiB/s ratio=R sha1_limit=L GiB/s of_limit=O", O being ours' part of the
// limit.
func recheckLine(name string, ours, lt, limit, ofLimit float64) string {
	return fmt.Sprintf("%s sha1_limit=%s of_limit=%s",
		benchLine(name, "GiB/s", 2, ours, lt), fmtValue(limit, 2, "GiB/s"), fmtRatio(ofLimit, 1))
}

// recheckSummary is a recheck line over rounds, medians of each figure,
// then a "#" line saying whether ours met the bar. of_limit is the median
// of the rounds' ours/limit, not a ratio of medians: each round's limit
// was measured next to its checks, so a busy moment of the machine counts
// against both or neither.
func recheckSummary(name string, runs []recheckRun) []string {
	var ours, lt, limit, of []float64
	var marks []string
	for _, r := range runs {
		limit = append(limit, r.limit)
		if !math.IsNaN(r.ours) {
			ours = append(ours, r.ours)
			of = append(of, r.ours/r.limit)
			m := fmtRatio(r.ours, r.limit)
			if r.allCores < busyBelow*r.limit {
				m += "*"
			}
			marks = append(marks, m)
		}
		if !math.IsNaN(r.lt) {
			lt = append(lt, r.lt)
		}
	}
	out := []string{recheckLine(name, median(ours), median(lt), median(limit), median(of))}
	if len(of) > 0 {
		verdict := "met"
		if median(of) < recheckBar {
			verdict = "NOT met"
		}
		out = append(out, fmt.Sprintf("# %s: bar ours >= %.2f of sha1_limit %s (rounds: %s; * = busy machine, all cores at once < %.0f%% of the limit)",
			name, recheckBar, verdict, strings.Join(marks, " "), busyBelow*100))
	}
	return out
}

// detail is a recheck round's "#" line.
func (r recheckRun) detail(name string) string {
	s := fmt.Sprintf("# run %d %s sha1_limit=%s (%s)", r.run, name, fmtValue(r.limit, 2, "GiB/s"), r.limitNote)
	if !math.IsNaN(r.ours) {
		s += fmt.Sprintf(" ours=%s of_limit=%s (%s)", fmtValue(r.ours, 2, "GiB/s"), fmtRatio(r.ours, r.limit), r.oursNote)
	}
	if !math.IsNaN(r.lt) {
		s += fmt.Sprintf(" libtorrent=%s (%s)", fmtValue(r.lt, 2, "GiB/s"), r.ltNote)
	}
	return s
}
