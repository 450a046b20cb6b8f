package announcer

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
)

func faultSupervision(t *testing.T, rules ...supervisor.Rule) *supervisor.Supervision {
	t.Helper()
	sup, err := supervisor.New(&supervisor.Plan{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	return sup
}

func answerOK(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) {
	return okReply(30 * time.Minute), nil
}

// An announcer that fails (in Receive, or in an announce's goroutine) is
// restarted after its backoff (half a second, then twice that), and
// announces again once its torrent tells it to.
func TestAnnouncerRestartsAfterBackoff(t *testing.T) {
	for _, c := range []struct {
		name string
		rule supervisor.Rule
	}{
		{"receive", supervisor.Rule{Message: "StartAnnouncing", Nth: 1}},
		{"announce goroutine", supervisor.Rule{Site: supervisor.SiteAnnounce, Message: "started", Nth: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c.rule.Kind, c.rule.Action = supervisor.KindAnnouncer, supervisor.ActionPanic
				sup := faultSupervision(t, c.rule)
				r := newAnnounceRigWith(t, sup, [][]string{{"http://a/ann"}}, tracker.Settings{}, answerOK)
				r.send(&messages.StartAnnouncing{})
				advance(400 * time.Millisecond)
				if calls := r.client.Calls(); len(calls) != 0 {
					t.Fatalf("announced before the restart: %s", events(calls))
				}
				advance(time.Second) // the backoff is 500 ms
				calls := r.client.Calls()
				if len(calls) != 1 || calls[0].Event != tracker.EventStarted {
					t.Fatalf("after the restart: %s", events(calls))
				}
				st := sup.Status().Kinds[supervisor.KindAnnouncer]
				if st.Injected != 1 || st.Restarts != 1 {
					t.Fatalf("announcer counters %+v", st)
				}
				r.sink.waitAlert(t, "actor_failed", func(a messages.Alert) bool {
					f, ok := a.(*messages.ActorFailedAlert)
					return ok && f.Kind == "tracker_announcer" && f.Directive == "restart" && f.Injected
				})
			})
		})
	}
}

// An injected tracker timeout waits tracker_completion_timeout and fails
// the announce as a timeout (tracker_error); the retry reaches the tracker.
func TestAnnouncerTrackerTimeoutInjected(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sup := faultSupervision(t, supervisor.Rule{Kind: supervisor.KindAnnouncer, Nth: 1, Action: supervisor.ActionTrackerTimeout})
		r := newAnnounceRigWith(t, sup, [][]string{{"http://a/ann"}}, tracker.Settings{}, answerOK)
		r.send(&messages.StartAnnouncing{})
		advance(29 * time.Second)
		r.sink.mu.Lock()
		for _, a := range r.sink.alerts {
			if _, ok := a.(*messages.TrackerErrorAlert); ok {
				t.Fatal("tracker_error before the timeout")
			}
		}
		r.sink.mu.Unlock()
		advance(time.Second)
		te := r.sink.waitAlert(t, "tracker_error", func(a messages.Alert) bool { _, ok := a.(*messages.TrackerErrorAlert); return ok }).(*messages.TrackerErrorAlert)
		if !errors.Is(te.Error, tracker.ErrTimeout) {
			t.Fatalf("tracker_error %v is not a timeout", te.Error)
		}
		advance(time.Minute)
		if calls := r.client.Calls(); len(calls) != 1 || calls[0].Event != tracker.EventStarted {
			t.Fatalf("the retry: %s", events(calls))
		}
	})
}
