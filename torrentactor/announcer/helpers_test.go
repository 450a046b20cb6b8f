package announcer

import (
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// sink is an alert actor that keeps what it is sent.
type sink struct {
	mu     sync.Mutex
	alerts []messages.Alert
}

func (s *sink) Receive(c actor.Context) {
	if m, ok := c.Message().(*messages.PostAlert); ok {
		s.mu.Lock()
		s.alerts = append(s.alerts, m.Alert)
		s.mu.Unlock()
	}
}

// waitAlert polls for an alert satisfying ok (in a bubble: virtual time).
func (s *sink) waitAlert(t *testing.T, what string, ok func(messages.Alert) bool) messages.Alert {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s.mu.Lock()
		for _, a := range s.alerts {
			if ok(a) {
				s.mu.Unlock()
				return a
			}
		}
		s.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func ipFilter(t *testing.T, ranges ...string) *ipfilter.IPFilter {
	t.Helper()
	f := &ipfilter.IPFilter{}
	for _, r := range ranges {
		first, last, _ := strings.Cut(r, "-")
		if err := f.AddRule(netip.MustParseAddr(first), netip.MustParseAddr(last), ipfilter.Blocked); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// A tracker at a blocked address is never called: its announce fails
// with ErrBannedByIPFilter in a tracker_error, while the other tier
// announces. Without the filter the next announce reaches it.
func TestAnnounceSkipsBlockedTracker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newAnnounceRig(t, [][]string{{"http://10.9.9.9:80/ann"}, {"udp://192.0.2.7:6969"}},
			tracker.Settings{AnnounceToAllTiers: true},
			func(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) {
				return okReply(30 * time.Minute), nil
			})
		r.send(&SetFilter{Filter: ipFilter(t, "10.0.0.0-10.255.255.255")})
		r.send(&messages.StartAnnouncing{})
		advance(time.Second)
		calls := r.client.Calls()
		if len(calls) != 1 || calls[0].URL != "udp://192.0.2.7:6969" {
			t.Fatalf("calls: %s", events(calls))
		}
		var banned bool
		r.sink.mu.Lock()
		for _, a := range r.sink.alerts {
			if e, ok := a.(*messages.TrackerErrorAlert); ok && e.URL == "http://10.9.9.9:80/ann" {
				banned = errors.Is(e.Error, messages.ErrBannedByIPFilter)
			}
		}
		r.sink.mu.Unlock()
		if !banned {
			t.Fatal("no tracker_error with ErrBannedByIPFilter for the blocked tracker")
		}
		r.send(&SetFilter{})
		advance(time.Minute) // past the first retry (5 s after a failure)
		n := 0
		for _, c := range r.client.Calls() {
			if c.URL == "http://10.9.9.9:80/ann" {
				n++
			}
		}
		if n == 0 {
			t.Fatalf("no announce to the tracker once unfiltered: %s", events(r.client.Calls()))
		}
	})
}
