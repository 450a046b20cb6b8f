package announcer

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// runAnnounce starts one job on its own goroutine. The goroutine's context
// ends with the actor, and after tracker_completion_timeout (or
// stop_tracker_timeout for a stopped announce), so a dead tracker costs a
// bounded wait and exactly one result always comes back.
func (a *announcer) runAnnounce(ctx actor.Context, j tracker.Job) {
	req := tracker.AnnounceRequest{
		InfoHash: a.cfg.InfoHash, PeerID: a.cfg.PeerID, Port: a.cfg.Port,
		Uploaded: a.stats.Uploaded, Downloaded: a.stats.Downloaded, Left: a.stats.Left,
		Corrupt: a.stats.Corrupt, Redundant: a.stats.Redundant,
		Event: j.Event, NumWant: a.cfg.NumWant, Key: a.cfg.Key, TrackerID: j.TrackerID,
		Compact: true,
	}
	if req.TrackerID == "" {
		req.TrackerID = a.cfg.TrackerID
	}
	timeout := a.cfg.CompletionTimeout
	if j.Event == tracker.EventStopped {
		req.NumWant = 0
		timeout = a.cfg.StopTimeout
	}
	a.post(ctx, &messages.TrackerAnnounceAlert{TrackerAlertHeader: messages.TrackerHeader(a.cfg.InfoHash, j.URL), Event: j.Event})
	a.inflight++
	root, self, client, base, sup := ctx.ActorSystem().Root, ctx.Self(), a.cfg.Client, a.base, a.cfg.Supervision
	ipf := a.ipf
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteAnnounce)
		cctx, cancel := context.WithTimeout(base, timeout)
		defer cancel()
		cctx = withIPFilter(cctx, ipf)
		var resp tracker.AnnounceResponse
		var err error
		if f, ok := sup.Inject(supervisor.KindAnnouncer, supervisor.SiteAnnounce, j.Event.String()); ok && f.Action == supervisor.ActionTrackerTimeout {
			<-cctx.Done() // the tracker never answers
			err = cctx.Err()
		} else if err = checkTrackerHost(cctx, j.URL); err == nil {
			resp, err = client.Announce(cctx, j.URL, req)
		}
		if err != nil && errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, tracker.ErrTimeout) {
			err = fmt.Errorf("%w: %w", tracker.ErrTimeout, err)
		}
		root.Send(self, &announceResult{base: base, job: j, resp: resp, err: err})
	}()
}

// handleAnnounceResult feeds a result to the list, tells the user and the
// torrent, and runs what became due.
func (a *announcer) handleAnnounceResult(ctx actor.Context, m *announceResult) {
	if m.base != a.base {
		return // started by the incarnation before a restart
	}
	a.inflight--
	now := time.Now()
	j := m.job
	ih := a.cfg.InfoHash
	var peers int
	if m.err != nil {
		a.list.Failed(j.Entry, m.err, now)
		al := &messages.TrackerErrorAlert{TrackerAlertHeader: messages.TrackerHeader(ih, j.URL), Error: m.err}
		if st, ok := a.list.Status(j.Entry); ok {
			al.TimesInRow = st.Fails
		}
		var se *tracker.StatusError
		var fe *tracker.FailureError
		switch {
		case errors.As(m.err, &se):
			al.StatusCode, al.Msg = se.Code, se.Reason
		case errors.As(m.err, &fe):
			al.Msg = fe.Reason
		}
		a.post(ctx, al)
	} else {
		resp := m.resp
		if resp.ExternalIP.IsValid() {
			a.self[resp.ExternalIP.Unmap()] = true
		}
		resp.Peers = tracker.FilterPeers(resp.Peers, a.isSelf)
		peers = len(resp.Peers)
		a.list.Succeeded(j.Entry, resp, now)
		if j.Event != tracker.EventStopped {
			a.post(ctx, &messages.TrackerReplyAlert{TrackerAlertHeader: messages.TrackerHeader(ih, j.URL), NumPeers: peers})
			if peers > 0 {
				ctx.Send(ctx.Parent(), &messages.TrackerPeers{Peers: resp.Peers})
			}
		}
		if resp.Warning != "" {
			a.post(ctx, &messages.TrackerWarningAlert{TrackerAlertHeader: messages.TrackerHeader(ih, j.URL), Msg: resp.Warning})
		}
		if resp.TrackerID != "" && resp.TrackerID != j.TrackerID {
			a.post(ctx, &messages.TrackeridAlert{TrackerAlertHeader: messages.TrackerHeader(ih, j.URL), TrackerID: resp.TrackerID})
		}
	}
	up, down := trafficEstimate(j.URL, peers, m.err != nil)
	ctx.Send(ctx.Parent(), &messages.TrackerTraffic{Upload: up, Download: down})
	a.pump(ctx)
}

// isSelf: a tracker peer that is us (our port on one of our addresses,
// loopback included); trackers routinely hand us back to ourselves.
func (a *announcer) isSelf(p netip.AddrPort) bool {
	if int(p.Port()) != a.cfg.Port {
		return false
	}
	ad := p.Addr().Unmap()
	return ad.IsLoopback() || ad.IsUnspecified() || a.self[ad]
}

// handleScrape scrapes one tracker (libtorrent scrape_tracker): index -1
// means the current (first working) tracker, else the first one.
func (a *announcer) handleScrape(ctx actor.Context, m *messages.ScrapeTracker) {
	ts := a.list.Trackers()
	if len(ts) == 0 {
		return
	}
	t := ts[0]
	switch {
	case m.Index >= 0 && m.Index < len(ts):
		t = ts[m.Index]
	case m.Index >= len(ts):
		a.post(ctx, &messages.ScrapeFailedAlert{TrackerAlertHeader: messages.TrackerHeader(a.cfg.InfoHash, ""),
			Error: fmt.Errorf("no tracker at index %d", m.Index), Msg: "invalid tracker index"})
		return
	default:
		for _, x := range ts {
			if x.Working {
				t = x
				break
			}
		}
	}
	a.inflight++
	root, self, client, base, ih, timeout := ctx.ActorSystem().Root, ctx.Self(), a.cfg.Client, a.base, a.cfg.InfoHash, a.cfg.CompletionTimeout
	sup, ipf := a.cfg.Supervision, a.ipf
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteScrape)
		cctx, cancel := context.WithTimeout(base, timeout)
		defer cancel()
		cctx = withIPFilter(cctx, ipf)
		var resp tracker.ScrapeResponse
		var err error
		if f, ok := sup.Inject(supervisor.KindAnnouncer, supervisor.SiteScrape, string(supervisor.SiteScrape)); ok && f.Action == supervisor.ActionTrackerTimeout {
			<-cctx.Done()
			err = fmt.Errorf("%w: %w", tracker.ErrTimeout, cctx.Err())
		} else if err = checkTrackerHost(cctx, t.URL); err == nil {
			resp, err = client.Scrape(cctx, t.URL, ih)
		}
		root.Send(self, &scrapeResult{base: base, entry: t.Entry, url: t.URL, resp: resp, err: err})
	}()
}

func (a *announcer) handleScrapeResult(ctx actor.Context, m *scrapeResult) {
	if m.base != a.base {
		return
	}
	a.inflight--
	ih := a.cfg.InfoHash
	if m.err != nil {
		a.post(ctx, &messages.ScrapeFailedAlert{TrackerAlertHeader: messages.TrackerHeader(ih, m.url), Error: m.err, Msg: m.err.Error()})
	} else {
		a.list.Scraped(m.entry, m.resp, time.Now())
		a.post(ctx, &messages.ScrapeReplyAlert{TrackerAlertHeader: messages.TrackerHeader(ih, m.url),
			Incomplete: m.resp.Incomplete, Complete: m.resp.Complete})
	}
	a.pump(ctx)
}
