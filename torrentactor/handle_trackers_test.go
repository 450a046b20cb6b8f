package torrentactor

import (
	"fmt"
	"testing"

	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/messages"
)

// The torrent's copy of the tracker list starts from its configuration,
// else the torrent file's, and follows AddTracker and ReplaceTrackers.
func TestTrackerStateMirror(t *testing.T) {
	client := &fakeClient{}
	meta := &metainfo.MetaInfo{Announce: "http://a/ann"}
	tests := []struct {
		name    string
		cfg     TrackerConfig
		meta    *metainfo.MetaInfo
		msgs    []any
		changed []bool
		want    string
	}{
		{"no client: no list", TrackerConfig{Tiers: [][]string{{"http://x"}}}, meta, nil, nil, "[]"},
		{"the torrent file's announce", TrackerConfig{Client: client}, meta, nil, nil, "[[http://a/ann]]"},
		{"configured tiers win", TrackerConfig{Client: client, Tiers: [][]string{{"http://x"}}}, meta, nil, nil, "[[http://x]]"},
		{"add to a tier, a new tier, and a URL listed already", TrackerConfig{Client: client}, meta,
			[]any{&messages.AddTracker{URL: "http://b", Tier: 0}, &messages.AddTracker{URL: "http://c", Tier: 5},
				&messages.AddTracker{URL: "http://b", Tier: 1}},
			[]bool{true, true, false}, "[[http://a/ann http://b] [http://c]]"},
		{"replace", TrackerConfig{Client: client}, meta,
			[]any{&messages.ReplaceTrackers{Tiers: [][]string{{"http://d"}, {"http://e"}}}, &messages.ForceReannounce{}},
			[]bool{true, false}, "[[http://d] [http://e]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var trk trackerState
			trk.init(tt.cfg, tt.meta)
			if trk.summary.NumComplete != -1 || trk.summary.NumIncomplete != -1 {
				t.Fatalf("summary %+v, want unknown counts", trk.summary)
			}
			for i, m := range tt.msgs {
				if got := trk.mirror(m); got != tt.changed[i] {
					t.Errorf("mirror(%T) changed = %v, want %v", m, got, tt.changed[i])
				}
			}
			if got := fmt.Sprint(trk.tiers); got != tt.want {
				t.Fatalf("tiers %s, want %s", got, tt.want)
			}
		})
	}
}
