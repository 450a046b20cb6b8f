package actorrent

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/actorrent/actorrent/messages"
)

// AnnounceEntry is one tracker of a torrent (libtorrent's announce_entry).
type AnnounceEntry struct {
	URL string
	// TrackerID is the "tracker id" the tracker gave us.
	TrackerID string
	Tier      int
	// Fails is failures in a row; FailLimit is how many make it not
	// working (0: unlimited).
	Fails, FailLimit int
	// Verified: it answered at least once. Working: its last announce
	// succeeded. NotWorking: it reached FailLimit (or said never to retry)
	// and is skipped until ForceReannounce or ReplaceTrackers.
	Verified, Working, NotWorking bool
	Updating                      bool // an announce is in flight
	StartSent, CompleteSent       bool
	// NextAnnounce is the earliest next announce (zero: now, or never);
	// MinAnnounce the end of the tracker's min interval.
	NextAnnounce, MinAnnounce time.Time
	Interval                  time.Duration
	LastAnnounce              time.Time
	// LastError is the last failure (nil after a success); Message the
	// last warning or failure reason.
	LastError error
	Message   string
	// Scrape counts, -1 when unknown.
	ScrapeComplete, ScrapeIncomplete, ScrapeDownloaded int
}

// Trackers returns the torrent's trackers in priority order (tier, then
// position: a tracker that answers moves to the front of its tier).
func (h TorrentHandle) Trackers(ctx context.Context) ([]AnnounceEntry, error) {
	r, err := h.ask(ctx, &messages.GetTrackers{}, true)
	if err != nil {
		return nil, err
	}
	ts := r.(*messages.GetTrackersReply).Trackers
	out := make([]AnnounceEntry, len(ts))
	for i, t := range ts {
		out[i] = AnnounceEntry{
			URL: t.URL, TrackerID: t.TrackerID, Tier: t.Tier, Fails: t.Fails, FailLimit: t.FailLimit,
			Verified: t.Verified, Working: t.Working, NotWorking: t.NotWorking, Updating: t.Updating,
			StartSent: t.StartSent, CompleteSent: t.CompleteSent,
			NextAnnounce: t.NextAnnounce, MinAnnounce: t.MinAnnounce, Interval: t.Interval, LastAnnounce: t.LastAnnounce,
			LastError: t.LastError, Message: t.Message,
			ScrapeComplete: t.ScrapeComplete, ScrapeIncomplete: t.ScrapeIncomplete, ScrapeDownloaded: t.ScrapeDownloaded,
		}
	}
	return out, nil
}

// checkTrackerURL accepts the schemes we announce to.
func checkTrackerURL(u string) error {
	l := strings.ToLower(strings.TrimSpace(u))
	for _, p := range []string{"http://", "https://", "udp://"} {
		if strings.HasPrefix(l, p) && len(l) > len(p) {
			return nil
		}
	}
	return fmt.Errorf("%w: tracker URL %q is not http, https or udp", ErrInvalidParams, u)
}

// AddTracker adds url at the end of tier (libtorrent add_tracker); a URL
// already there is left where it is. It is announced to when the tier
// walk reaches it.
func (h TorrentHandle) AddTracker(ctx context.Context, url string, tier int) error {
	if err := checkTrackerURL(url); err != nil {
		return err
	}
	return h.send(ctx, &messages.AddTracker{URL: url, Tier: tier})
}

// ReplaceTrackers replaces the tracker list (libtorrent replace_trackers;
// tiers[0] is tier 0). Trackers that stay keep their state, their
// failures forgiven.
func (h TorrentHandle) ReplaceTrackers(ctx context.Context, tiers [][]string) error {
	for _, tier := range tiers {
		for _, u := range tier {
			if err := checkTrackerURL(u); err != nil {
				return err
			}
		}
	}
	cp := make([][]string, len(tiers))
	for i, t := range tiers {
		cp[i] = append([]string(nil), t...)
	}
	return h.send(ctx, &messages.ReplaceTrackers{Tiers: cp})
}

// ForceReannounce announces to the trackers now (libtorrent
// force_reannounce): working ones once their min interval allows,
// failing and not-working ones at once. A paused torrent does not.
func (h TorrentHandle) ForceReannounce(ctx context.Context) error {
	return h.send(ctx, &messages.ForceReannounce{})
}

// ScrapeTracker asks the tracker at index of Trackers for the swarm's
// counts (-1: the working tracker, else the first); the answer is a
// ScrapeReplyAlert or a ScrapeFailedAlert.
func (h TorrentHandle) ScrapeTracker(ctx context.Context, index int) error {
	return h.send(ctx, &messages.ScrapeTracker{Index: index})
}
