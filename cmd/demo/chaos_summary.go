package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/actorrent/actorrent"
	"github.com/actorrent/actorrent/supervisor"
)

// printChaosSummary prints what the faults did and what it cost: faults
// injected by action and kind, the supervisors' decisions, torrent errors
// cleared, and the bytes fetched more than once.
func printChaosSummary(ctx context.Context, w io.Writer, ti *actorrent.TorrentInfo, all []*chaosSession, elapsed time.Duration) {
	total := supervisor.KindStatus{ByAction: map[string]int64{}}
	byKind := map[supervisor.Kind]int64{}
	var cleared int64
	for _, cs := range all {
		cleared += cs.cleared.Load()
		st, err := cs.s.SupervisionStatus(ctx)
		if err != nil {
			continue
		}
		total.Add(st.Total())
		for k, ks := range st.Kinds {
			byKind[k] += ks.Injected
		}
	}
	var refetched int64
	for _, cs := range all[1:] {
		refetched += max(cs.final.TotalPayloadDownload-cs.final.TotalWanted, 0)
	}
	fmt.Fprintf(w, "chaos swarm on 127.0.0.1: 1 seed, %d downloaders, %.1f MiB (%d pieces), %.2f s\n",
		len(all)-1, mib(ti.TotalSize()), ti.NumPieces(), elapsed.Seconds())
	fmt.Fprintf(w, "faults injected: %d (%s); by kind: %s\n", total.Injected, counts(total.ByAction), kindCounts(byKind))
	fmt.Fprintf(w, "supervisors: %d failures: %d restarts, %d stops, %d resumes; torrent errors cleared: %d\n",
		total.Failures, total.Restarts, total.Stops, total.Resumes, cleared)
	fmt.Fprintf(w, "bytes fetched twice: %.1f MiB (%.1f%% of %d downloads)\n",
		mib(refetched), 100*float64(refetched)/float64(ti.TotalSize()*int64(len(all)-1)), len(all)-1)
	fmt.Fprintf(w, "verified %d copies byte for byte\n", len(all)-1)
}

func counts(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func kindCounts(m map[supervisor.Kind]int64) string {
	parts := []string{}
	for _, k := range supervisor.Kinds() {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
	}
	return strings.Join(parts, ", ")
}
