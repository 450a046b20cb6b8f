package announcer

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/internal/tracker/httptracker"
	"github.com/actorrent/actorrent/internal/tracker/udptracker"
	"github.com/actorrent/actorrent/internal/tracker/udptracker/udptest"
	"github.com/actorrent/actorrent/messages"
)

// httpTrackers is an http.RoundTripper serving canned tracker bodies by
// host, so the real HTTP tracker client runs inside a synctest bubble; an
// unknown host is refused.
type httpTrackers map[string]string

func (h httpTrackers) RoundTrip(r *http.Request) (*http.Response, error) {
	body, ok := h[r.URL.Host]
	if !ok {
		return nil, errRefused
	}
	return &http.Response{StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"text/plain"}}, ContentLength: int64(len(body)),
		Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

// realClients are the session's clients (as session.go sets them up from
// the default settings) on an in-memory network: UDP on a udptest conn,
// HTTP through trackers.
func realClients(t *testing.T, trackers httpTrackers) Clients {
	t.Helper()
	conn := udptest.NewNet().Listen("127.0.0.1")
	udp := udptracker.New(conn, udptracker.Config{RetransmitBase: 10 * time.Second})
	t.Cleanup(func() {
		_ = udp.Close()
		_ = conn.Close()
	})
	hc := httptracker.New(httptracker.Options{HTTPClient: &http.Client{Transport: trackers},
		ReceiveTimeout: 10 * time.Second, CompletionTimeout: 30 * time.Second})
	return Clients{HTTP: hc, UDP: udp}
}

// Tier 0 holds a UDP tracker that never answers (nothing listens at its
// address: every packet is lost, as to a dead host) and an HTTP tracker
// that answers garbage; the only live tracker is in tier 1. The first
// peers must come within 5 s whichever of the two tier 0 trackers the
// shuffle puts first (before the fix: 30 s, the completion timeout the
// silent UDP announce held tier 0 for; libtorrent: about 11 s, its
// 10 s tracker_receive_timeout). The dead tracker's announce is not
// abandoned: it fails at the completion timeout and is retried after
// libtorrent's backoff.
func TestAnnounceDeadTierFallsThroughFast(t *testing.T) {
	const (
		dead    = "udp://10.9.9.9:6969/announce"
		garbage = "http://garbage.example/announce"
		live    = "http://live.example/announce"
	)
	liveBody := "d8:intervali1800e5:peers6:" + string([]byte{1, 2, 3, 4, 0x13, 0x88}) + "e"
	firsts := map[string]bool{}
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cl := realClients(t, httpTrackers{"garbage.example": "<html>not a tracker</html>", "live.example": liveBody})
				start := time.Now()
				r := newAnnounceRigConfig(t, nil, TrackerConfig{Client: cl,
					Tiers: [][]string{{dead, garbage}, {live}}, Rand: rand.New(rand.NewPCG(seed, seed))})
				r.send(&messages.StartAnnouncing{Stats: messages.AnnounceStats{Left: 100}})
				advance(2 * time.Minute)

				var announced []string
				var firstPeers time.Duration = -1
				var deadFailed []time.Duration
				var deadAnnounced []time.Duration
				r.sink.mu.Lock()
				for _, a := range r.sink.alerts {
					switch a := a.(type) {
					case *messages.TrackerAnnounceAlert:
						announced = append(announced, a.URL)
						if a.URL == dead {
							deadAnnounced = append(deadAnnounced, a.At.Sub(start))
						}
					case *messages.TrackerReplyAlert:
						if a.URL == live && a.NumPeers > 0 && firstPeers < 0 {
							firstPeers = a.At.Sub(start)
						}
					case *messages.TrackerErrorAlert:
						if a.URL == dead {
							if !errors.Is(a.Error, tracker.ErrTimeout) {
								t.Errorf("dead tracker failed with %v, want a timeout", a.Error)
							}
							deadFailed = append(deadFailed, a.At.Sub(start))
						}
					}
				}
				r.sink.mu.Unlock()
				if len(announced) == 0 {
					t.Fatal("nothing announced")
				}
				firsts[announced[0]] = true
				t.Logf("first to %s; first peers after %v; announces %q", announced[0], firstPeers, announced)
				if firstPeers < 0 || firstPeers > 5*time.Second {
					t.Fatalf("first peers after %v, want within 5 s", firstPeers)
				}
				if len(parentGot[*messages.TrackerPeers](r)) == 0 {
					t.Fatal("the torrent got no peers")
				}
				// The silent announce ran to the completion timeout and the
				// retry waited libtorrent's backoff after that failure.
				if len(deadFailed) == 0 || len(deadAnnounced) < 2 ||
					deadAnnounced[1] != deadFailed[0]+(tracker.Settings{}).Backoff(1) {
					t.Fatalf("dead tracker announced at %v, failed at %v", deadAnnounced, deadFailed)
				}
			})
		})
	}
	if !firsts[dead] || !firsts[garbage] {
		t.Errorf("the seeds tried only %v first: pick seeds that cover both orders", firsts)
	}
}
