// Package trackertest is a scripted tracker client for tests of the
// packages that announce (the torrent actor, its announcer): a test says
// what each URL answers and reads back the announces made, in virtual time.
package trackertest

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
)

// Call is one announce the client saw.
type Call struct {
	At    time.Duration // since Start (virtual time in a synctest bubble)
	URL   string
	Event tracker.Event
	Req   tracker.AnnounceRequest
}

// Client answers announces as Answer says: the reply for a URL, an error,
// or (nil, nil) to block until the context ends (a tracker that never
// answers). Scrapes answer 3 seeds, 4 peers, 5 downloads.
type Client struct {
	Start  time.Time
	Answer func(url string, req tracker.AnnounceRequest) (*tracker.AnnounceResponse, error)
	mu     sync.Mutex
	calls  []Call
}

// Announce records the call and answers it.
func (f *Client) Announce(ctx context.Context, url string, req tracker.AnnounceRequest) (tracker.AnnounceResponse, error) {
	f.mu.Lock()
	f.calls = append(f.calls, Call{At: time.Since(f.Start), URL: url, Event: req.Event, Req: req})
	f.mu.Unlock()
	resp, err := f.Answer(url, req)
	if resp == nil && err == nil {
		<-ctx.Done()
		return tracker.AnnounceResponse{}, ctx.Err()
	}
	if err != nil {
		return tracker.AnnounceResponse{Complete: -1, Incomplete: -1, Downloaded: -1}, err
	}
	return *resp, nil
}

// Scrape answers every scrape the same.
func (f *Client) Scrape(context.Context, string, [20]byte) (tracker.ScrapeResponse, error) {
	return tracker.ScrapeResponse{Complete: 3, Incomplete: 4, Downloaded: 5}, nil
}

// Calls are the announces so far.
func (f *Client) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// OK is a successful reply with interval and peers (host:port).
func OK(interval time.Duration, peers ...string) *tracker.AnnounceResponse {
	resp := &tracker.AnnounceResponse{Interval: interval, Complete: 1, Incomplete: 2, Downloaded: -1}
	for _, p := range peers {
		resp.Peers = append(resp.Peers, netip.MustParseAddrPort(p))
	}
	return resp
}

// Events is calls as "time url event; ..." (a compact trace to compare).
func Events(calls []Call) string {
	s := ""
	for _, c := range calls {
		s += fmt.Sprintf("%v %s %s; ", c.At.Round(time.Second), c.URL, c.Event)
	}
	return s
}
