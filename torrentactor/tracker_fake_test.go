package torrentactor

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
)

// A scripted tracker client for the torrent's tests (the announcer
// package's tests have their own).

// call is one announce the fake tracker client saw.
type call struct {
	at    time.Duration // since the test's start (virtual time)
	url   string
	event tracker.Event
	req   tracker.AnnounceRequest
}

// fakeClient is a TrackerClient whose answers a test scripts: answer
// returns the reply for a URL; a nil answer blocks until the context ends
// (a tracker that never answers).
type fakeClient struct {
	start  time.Time
	answer func(url string, req tracker.AnnounceRequest) (*tracker.AnnounceResponse, error)
	mu     sync.Mutex
	calls  []call
}

func (f *fakeClient) Announce(ctx context.Context, url string, req tracker.AnnounceRequest) (tracker.AnnounceResponse, error) {
	f.mu.Lock()
	f.calls = append(f.calls, call{at: time.Since(f.start), url: url, event: req.Event, req: req})
	f.mu.Unlock()
	resp, err := f.answer(url, req)
	if resp == nil && err == nil {
		<-ctx.Done()
		return tracker.AnnounceResponse{}, ctx.Err()
	}
	if err != nil {
		return tracker.AnnounceResponse{Complete: -1, Incomplete: -1, Downloaded: -1}, err
	}
	return *resp, nil
}

func (f *fakeClient) Scrape(context.Context, string, [20]byte) (tracker.ScrapeResponse, error) {
	return tracker.ScrapeResponse{Complete: 3, Incomplete: 4, Downloaded: 5}, nil
}

func (f *fakeClient) got() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

func okReply(interval time.Duration, peers ...string) *tracker.AnnounceResponse {
	resp := &tracker.AnnounceResponse{Interval: interval, Complete: 1, Incomplete: 2, Downloaded: -1}
	for _, p := range peers {
		resp.Peers = append(resp.Peers, netip.MustParseAddrPort(p))
	}
	return resp
}

func events(calls []call) string {
	s := ""
	for _, c := range calls {
		s += fmt.Sprintf("%v %s %s; ", c.at.Round(time.Second), c.url, c.event)
	}
	return s
}
