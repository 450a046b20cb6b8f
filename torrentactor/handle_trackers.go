package torrentactor

import (
	"slices"
	"time"

	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/actorrent/actorrent/torrentactor/announcer"
	"github.com/asynkron/protoactor-go/actor"
)

// trackers is the torrent's side of its announcer child: the tracker list it mirrors, when it
// announces, what it reports. A view of the actor, not a part of it: the state stays in the actor
// (1000 of its size class's 1024 bytes), the type names the concern's methods.
type trackers struct{ *Actor }

// trackerState is the torrent's side of its announcer child.
type trackerState struct {
	pid        *actor.PID
	announcing bool // StartAnnouncing sent, StopAnnouncing not since
	dht        bool // DHTTorrentWanted{Want} sent, not undone since (handle_dht.go)
	sent       messages.AnnounceStats
	summary    messages.TrackerSummary
	// traffic since the last session report
	dUp, dDown int64
	// tiers mirrors the announcer's tracker list, for resume data.
	tiers [][]string
}

// trackerMessage handles the tracker messages of every state; it reports
// false for other messages.
func (a trackers) trackerMessage(ctx actor.Context) bool {
	switch m := ctx.Message().(type) {
	case *messages.GetTrackers:
		if !a.ensureAnnouncer(ctx) {
			ctx.Respond(&messages.GetTrackersReply{})
			return true
		}
		ctx.Forward(a.trk.pid) // the announcer answers the facade
	case *messages.AddTracker, *messages.ReplaceTrackers:
		if a.trk.mirror(m) {
			a.resume.needSave = true
		}
		if a.trk.pid == nil {
			// A later announcer starts from the mirrored list; a
			// running torrent that had no trackers starts announcing.
			a.syncAnnouncing(ctx)
			return true
		}
		ctx.Forward(a.trk.pid)
	case *messages.ForceReannounce, *messages.ScrapeTracker:
		if a.ensureAnnouncer(ctx) {
			ctx.Forward(a.trk.pid)
		}
	case *messages.TrackerPeers:
		a.handleTrackerPeers(ctx, m)
	case *messages.DHTPeers:
		dhtAnnouncing{a.Actor}.handlePeers(ctx, m)
	case *messages.DHTNodeFromPeer:
		ctx.Send(a.cfg.Session, m) // a peer's BEP 5 PORT, for the session's DHT node
	case *messages.TrackerSummary:
		a.trk.summary = *m
	case *messages.TrackerTraffic:
		a.trk.dUp += m.Upload
		a.trk.dDown += m.Download
		gauges{a.Actor}.countTrackerTraffic(m)
	case *messages.AnnouncingStopped:
		// a late answer to a StopAnnouncing whose wait timed out
	default:
		return false
	}
	return true
}

// init sets up the torrent's tracker list (in handleStarted) from its
// configuration, or else the torrent file's (meta, nil for a magnet); the
// announcer is spawned later, when needed (ensureAnnouncer). Without a
// client there is no list: nothing announces.
func (t *trackerState) init(cfg TrackerConfig, meta *metainfo.MetaInfo) {
	t.summary = messages.TrackerSummary{NumComplete: -1, NumIncomplete: -1}
	if cfg.Client == nil {
		return
	}
	tiers := cfg.Tiers
	if len(tiers) == 0 && meta != nil {
		tiers = metaTiers(meta.Announce, meta.AnnounceList)
	}
	t.tiers = cloneTiers(tiers)
}

// ensureAnnouncer spawns the announcer child if the torrent has none yet
// and has trackers, and reports whether it has one. The announcer is
// lazy: a torrent without trackers, or paused since it was added, costs
// no actor for it (100k paused torrents are 100k actors fewer).
func (a trackers) ensureAnnouncer(ctx actor.Context) bool {
	if a.trk.pid != nil {
		return true
	}
	if a.cfg.TrackerBase.Client == nil || len(a.trk.tiers) == 0 || a.life.removing {
		return false
	}
	tc := a.cfg.trackers().WithSettings(a.set)
	tc.Tiers = cloneTiers(a.trk.tiers)
	props := announcer.New(announcer.Config{TrackerConfig: tc, InfoHash: a.ih, PeerID: a.cfg.PeerID, Alerts: a.cfg.Alerts, Supervision: a.cfg.Supervision})
	a.trk.pid = ctx.Spawn(a.cfg.Supervision.Configure(supervisor.KindAnnouncer, props))
	filters{a.Actor}.syncTrackerFilter(ctx, true)
	return true
}

// syncAnnouncing starts or stops announcing to match the torrent: it
// announces while it is active after its check (not paused, failed or
// being removed). Call it after every such change.
func (a trackers) syncAnnouncing(ctx actor.Context) {
	dhtAnnouncing{a.Actor}.sync(ctx) // the DHT follows the same rule
	// A torrent added by info-hash announces through the check that
	// follows its metadata: stopping there would tell the trackers it left.
	want := a.active() && (!a.life.checking() || a.meta.enabled)
	if want == a.trk.announcing || (want && !a.ensureAnnouncer(ctx)) {
		return
	}
	a.trk.announcing = want
	if want {
		a.trk.sent = a.announceStats()
		ctx.Send(a.trk.pid, &messages.StartAnnouncing{Stats: a.trk.sent})
	} else {
		ctx.Send(a.trk.pid, &messages.StopAnnouncing{})
	}
}

// announceStats are the counters announces report.
func (a trackers) announceStats() messages.AnnounceStats {
	wanted, done := priorities{a.Actor}.wantedBytes()
	left := max(wanted-done, 0)
	if a.meta.fetching() {
		left = metadataLeft
	}
	return messages.AnnounceStats{
		Uploaded: a.counters.payloadUpload, Downloaded: a.counters.payloadDownload,
		Left: left, Redundant: a.counters.redundant, Corrupt: a.counters.failed,
	}
}

// tickTrackers keeps the announcer's counters current (only when they
// changed, so an idle torrent sends nothing).
func (a trackers) tickTrackers(ctx actor.Context) {
	if !a.trk.announcing {
		return
	}
	if s := a.announceStats(); s != a.trk.sent {
		a.trk.sent = s
		ctx.Send(a.trk.pid, &s)
	}
}

// announceCompleted tells the trackers the download finished.
func (a trackers) announceCompleted(ctx actor.Context) {
	if a.trk.pid == nil {
		return
	}
	a.tickTrackers(ctx) // left=0 goes with the completed event
	ctx.Send(a.trk.pid, &messages.AnnounceCompleted{})
}

// handleTrackerPeers puts a tracker's peers in the list; connectMore
// connects what the connection limit has room for.
func (a trackers) handleTrackerPeers(ctx actor.Context, m *messages.TrackerPeers) {
	peerList{a.Actor}.addPeers(ctx, peerlist.FromTracker, m.Peers)
}

// stopAnnouncingThen sends stopped to the trackers and runs then once they
// answered, or after stop_tracker_timeout (plus a margin for the
// messages), so that removing a torrent, or closing the session, never
// hangs on a dead tracker.
func (a trackers) stopAnnouncingThen(ctx actor.Context, then func()) {
	if a.trk.pid == nil {
		then()
		return
	}
	a.trk.announcing = false
	wait := a.set.Seconds(settings.StopTrackerTimeout)
	if wait <= 0 {
		wait = 5 * time.Second
	}
	f := ctx.RequestFuture(a.trk.pid, &messages.StopAnnouncing{}, wait+time.Second)
	ctx.ReenterAfter(f, func(any, error) { then() })
}

// metaTiers are a torrent file's trackers: announce-list (BEP 12) when it
// has one, else announce as a single tier.
func metaTiers(announce string, list [][]string) [][]string {
	if len(list) > 0 {
		return list
	}
	if announce != "" {
		return [][]string{{announce}}
	}
	return nil
}

// mirror applies AddTracker and ReplaceTrackers to the torrent's copy of
// the tracker list (resume data's "trackers"); it reports whether the list
// changed (a URL already listed is not added again).
func (t *trackerState) mirror(m any) bool {
	switch m := m.(type) {
	case *messages.ReplaceTrackers:
		t.tiers = cloneTiers(m.Tiers)
	case *messages.AddTracker:
		for _, tier := range t.tiers {
			if slices.Contains(tier, m.URL) {
				return false
			}
		}
		tier := min(max(m.Tier, 0), len(t.tiers))
		if tier == len(t.tiers) {
			t.tiers = append(t.tiers, nil)
		}
		t.tiers[tier] = append(t.tiers[tier], m.URL)
	default:
		return false
	}
	return true
}

func cloneTiers(t [][]string) [][]string {
	out := make([][]string, len(t))
	for i, tier := range t {
		out[i] = append([]string(nil), tier...)
	}
	return out
}
