package actorrent

import (
	"context"
	"fmt"
	"strings"

	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/messages"
)

// AnnounceEntry is one tracker of a torrent (libtorrent's announce_entry);
// its fields are declared once, by the tracker list that fills them.
type AnnounceEntry = tracker.TrackerStatus

// Trackers returns the torrent's trackers in priority order (tier, then
// position: a tracker that answers moves to the front of its tier).
func (h TorrentHandle) Trackers(ctx context.Context) ([]AnnounceEntry, error) {
	r, err := h.ask(ctx, &messages.GetTrackers{}, true)
	if err != nil {
		return nil, err
	}
	return r.(*messages.GetTrackersReply).Trackers, nil
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
