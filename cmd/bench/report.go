package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// result is one finished, verified download.
type result struct {
	side   string        // sideOurs or sideLibtorrent
	run    int           // 1-based
	wall   time.Duration // see runOurs and runLibtorrent: process start to exit
	cpu    time.Duration // user+system CPU of the downloading process
	rssKiB int64         // its peak resident set size
	anon   int64         // its peak RssAnon in KiB, sampled (0: unknown)
	seeder time.Duration // CPU the seeder spent meanwhile (0: unknown)
	note   string        // side-specific detail for the "#" line
}

// metrics are the three figures a result contributes to the bench lines.
func (r result) metrics(size int64) (mibPerSec, cpuPerGiB, rssMiB float64) {
	mib := float64(size) / (1 << 20)
	gib := float64(size) / (1 << 30)
	return mib / r.wall.Seconds(), r.cpu.Seconds() / gib, float64(r.rssKiB) / 1024
}

// detail is the "#"-prefixed per-run line.
func (r result) detail(size int64) string {
	rate, cpu, rss := r.metrics(size)
	s := fmt.Sprintf("# run %d %-10s wall=%.2fs rate=%.1fMiB/s cpu=%.2fs (%.2fs/GiB) rss=%.1fMiB",
		r.run, r.side, r.wall.Seconds(), rate, r.cpu.Seconds(), cpu, rss)
	if r.anon > 0 {
		s += fmt.Sprintf(" anon=%.1fMiB", float64(r.anon)/1024)
	}
	if r.seeder > 0 {
		// Near 1 s per wall second, the seeder and not the downloader
		// sets the pace.
		s += fmt.Sprintf(" seeder_cpu=%.2fs", r.seeder.Seconds())
	}
	if r.note != "" {
		s += " " + r.note
	}
	return s
}

// median of xs (the mean of the middle two for an even count); NaN when
// xs is empty so that a missing side prints as n/a, never as a number.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// benchLine formats "name: ours=X unit libtorrent=Y unit ratio=R" with
// ratio = ours/libtorrent to 2 decimals; a NaN side or ratio prints n/a.
func benchLine(name, unit string, decimals int, ours, lt float64) string {
	return pairLine(name, sideOurs, sideLibtorrent, unit, decimals, ours, lt)
}

// pairLine is benchLine for any two sides: "name: a=X unit b=Y unit
// ratio=R" with ratio = a/b.
func pairLine(name, aName, bName, unit string, decimals int, a, b float64) string {
	return fmt.Sprintf("%s: %s=%s %s=%s ratio=%s", name,
		aName, fmtValue(a, decimals, unit), bName, fmtValue(b, decimals, unit), fmtRatio(a, b))
}

// fmtValue is "v unit" with decimals, or n/a for NaN and infinities.
func fmtValue(v float64, decimals int, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.*f %s", decimals, v, unit)
}

// fmtRatio is a/b to 2 decimals, or n/a when it is not a number.
func fmtRatio(a, b float64) string {
	if r := a / b; !math.IsNaN(r) && !math.IsInf(r, 0) {
		return fmt.Sprintf("%.2f", r)
	}
	return "n/a"
}

// summary returns the three bench lines called name, name_cpu and
// name_rss, medians over each side's runs, then a "#" line of peak
// anonymous memory.
func summary(name string, results []result, size int64) []string {
	var rate, cpu, rss, anon [2][]float64 // index 0 ours, 1 libtorrent
	for _, r := range results {
		i := 0
		if r.side == sideLibtorrent {
			i = 1
		}
		a, b, c := r.metrics(size)
		rate[i] = append(rate[i], a)
		cpu[i] = append(cpu[i], b)
		rss[i] = append(rss[i], c)
		if r.anon > 0 {
			anon[i] = append(anon[i], float64(r.anon)/1024)
		}
	}
	return []string{
		benchLine(name, "MiB/s", 1, median(rate[0]), median(rate[1])),
		benchLine(name+"_cpu", "s/GiB", 2, median(cpu[0]), median(cpu[1])),
		benchLine(name+"_rss", "MiB", 1, median(rss[0]), median(rss[1])),
		// A detail line: max RSS counts the file pages libtorrent maps, so
		// this shows the memory each process owns (see sampleAnon).
		"# " + benchLine(name+"_anon", "MiB", 1, median(anon[0]), median(anon[1])),
	}
}
