package announcer

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/internal/tracker/httptracker"
	"github.com/actorrent/actorrent/internal/tracker/udptracker"
)

// TrackerClient runs one announce or scrape and blocks until it is done,
// bounded by ctx. The announcer calls it on its own goroutines; tests
// inject a fake.
type TrackerClient interface {
	Announce(ctx context.Context, url string, req tracker.AnnounceRequest) (tracker.AnnounceResponse, error)
	Scrape(ctx context.Context, url string, infoHash [20]byte) (tracker.ScrapeResponse, error)
}

// ErrUnsupportedTracker is the error of an announce to a URL whose scheme
// we do not speak (or whose client is missing).
var ErrUnsupportedTracker = errors.New("announcer: unsupported tracker URL")

// Clients is the TrackerClient of a session: one HTTP client and one UDP
// socket shared by every torrent (the UDP client caches connection ids
// per tracker, and a session with thousands of torrents needs one socket,
// not thousands).
type Clients struct {
	HTTP *httptracker.Client
	UDP  *udptracker.Client
	// FilteredHTTP, when set, carries the announces the IP filter applies
	// to (its DialContext is FilteredDial; announce_filter.go).
	FilteredHTTP *httptracker.Client
}

// httpFor is the HTTP client of an announce with ctx.
func (c Clients) httpFor(ctx context.Context) *httptracker.Client {
	if c.FilteredHTTP != nil && ipFilterFrom(ctx) != nil {
		return c.FilteredHTTP
	}
	return c.HTTP
}

func scheme(u string) string {
	if i := strings.Index(u, "://"); i > 0 {
		return strings.ToLower(u[:i])
	}
	return ""
}

// Announce dispatches on the URL's scheme.
func (c Clients) Announce(ctx context.Context, u string, req tracker.AnnounceRequest) (tracker.AnnounceResponse, error) {
	unknown := tracker.AnnounceResponse{Complete: -1, Incomplete: -1, Downloaded: -1}
	switch scheme(u) {
	case "http", "https":
		if hc := c.httpFor(ctx); hc != nil {
			return hc.Announce(ctx, u, req)
		}
	case "udp":
		if c.UDP == nil {
			break
		}
		hp, err := udptracker.HostPort(u)
		if err != nil {
			return unknown, err
		}
		r, err := c.UDP.Announce(ctx, hp, udptracker.AnnounceRequest{
			InfoHash: req.InfoHash, PeerID: req.PeerID, Port: req.Port,
			Uploaded: req.Uploaded, Downloaded: req.Downloaded, Left: req.Left,
			Event: udptracker.Event(req.Event), NumWant: req.NumWant, Key: req.Key, TrackerID: req.TrackerID,
		})
		if err != nil {
			return unknown, udpError(err)
		}
		return tracker.AnnounceResponse{
			Interval: r.Interval, MinInterval: r.MinInterval, Peers: r.Peers,
			Complete: r.Complete, Incomplete: r.Incomplete, Downloaded: r.Downloaded,
			TrackerID: r.TrackerID, Warning: r.Warning,
		}, nil
	}
	return unknown, fmt.Errorf("%w: %s", ErrUnsupportedTracker, redact(u))
}

// Scrape dispatches on the URL's scheme.
func (c Clients) Scrape(ctx context.Context, u string, ih [20]byte) (tracker.ScrapeResponse, error) {
	switch scheme(u) {
	case "http", "https":
		hc := c.httpFor(ctx)
		if hc == nil {
			break
		}
		m, err := hc.Scrape(ctx, u, ih)
		if err != nil {
			return tracker.UnknownScrape, err
		}
		r, ok := m[ih]
		if !ok {
			return tracker.UnknownScrape, fmt.Errorf("%w: torrent not in scrape reply", tracker.ErrInvalidResponse)
		}
		return r, nil
	case "udp":
		if c.UDP == nil {
			break
		}
		hp, err := udptracker.HostPort(u)
		if err != nil {
			return tracker.UnknownScrape, err
		}
		rs, err := c.UDP.Scrape(ctx, hp, ih)
		if err != nil {
			return tracker.UnknownScrape, udpError(err)
		}
		if len(rs) == 0 {
			return tracker.UnknownScrape, fmt.Errorf("%w: empty scrape reply", tracker.ErrInvalidResponse)
		}
		return tracker.ScrapeResponse{Complete: rs[0].Complete, Incomplete: rs[0].Incomplete, Downloaded: rs[0].Downloaded}, nil
	}
	return tracker.UnknownScrape, fmt.Errorf("%w: %s", ErrUnsupportedTracker, redact(u))
}

// udpError maps the UDP client's errors onto internal/tracker's, so that
// List and the alerts see one vocabulary.
func udpError(err error) error {
	var fe *udptracker.FailureError
	switch {
	case errors.As(err, &fe):
		return &tracker.FailureError{Reason: fe.Reason}
	case errors.Is(err, udptracker.ErrTimeout):
		return fmt.Errorf("%w: %w", tracker.ErrTimeout, err)
	}
	return err
}

// redact drops the query (passkeys live there) from a URL for messages.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(bad URL)"
	}
	p.RawQuery = ""
	return p.Redacted()
}

// trafficEstimate is the tracker protocol bytes of one announce, as
// libtorrent counts them: estimated from the protocol's sizes (the
// clients do not expose their sockets' byte counts), IP and transport
// headers included.
func trafficEstimate(u string, peers int, failed bool) (up, down int64) {
	const ipUDP = 28
	if scheme(u) == "udp" {
		// connect (16 out, 16 in) and announce (98 out, 20 + 6 a peer in)
		up, down = 16+98+2*ipUDP, 16+20+2*ipUDP
		if !failed {
			down += int64(6 * peers)
		}
		return up, down
	}
	// an HTTP GET of the announce URL with ~20 query parameters, and a
	// bencoded reply with a compact peer list
	up, down = int64(300+len(u)), 200
	if !failed {
		down += int64(6 * peers)
	}
	return up, down
}
