package httptracker

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
)

// Defaults for zero Options fields (libtorrent's settings of the same
// meaning in parentheses).
const (
	DefaultUserAgent         = "actorrent/0.1"  // user_agent
	DefaultMaxResponseSize   = 1 << 20          // tracker_maximum_response_length
	DefaultReceiveTimeout    = 10 * time.Second // tracker_receive_timeout
	DefaultCompletionTimeout = 30 * time.Second // tracker_completion_timeout
	DefaultMaxRedirects      = 5
	// MaxScrapeHashes bounds one scrape request; URLs much longer than
	// this many info_hash parameters (about 4 KiB) are refused by trackers.
	MaxScrapeHashes = 64
)

// maxHeaderBytes bounds a reply's headers when we build the transport.
const maxHeaderBytes = 64 << 10

// Options configure a Client. The zero value is usable.
type Options struct {
	// HTTPClient, if not nil, carries the requests (its Transport: a proxy,
	// TLS settings, a test round-tripper). The Client uses a copy whose
	// CheckRedirect is its own; DialContext and Network are then ignored.
	HTTPClient *http.Client
	// DialContext dials connections for the Client's own transport
	// (default net.Dialer). It is called with Network, not "tcp".
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// Network is the address family trackers are reached over: "tcp"
	// (default, either), "tcp4" or "tcp6". BEP 7 clients announce once over
	// each family, with one Client per family.
	Network string
	// UserAgent is sent as User-Agent ("" means DefaultUserAgent).
	UserAgent string
	// MaxResponseSize bounds a reply body, after decompression; a reply
	// that exceeds it is abandoned unread (tracker.ErrResponseTooLarge).
	MaxResponseSize int64
	// ReceiveTimeout is the most silence allowed, waiting for the reply
	// or between reads of its body.
	ReceiveTimeout time.Duration
	// CompletionTimeout is the most time a request may take in all,
	// redirects included. Callers announcing stopped pass a shorter
	// context (stop_tracker_timeout).
	CompletionTimeout time.Duration
	// MaxRedirects is how many redirects are followed (0 means
	// DefaultMaxRedirects, negative means none).
	MaxRedirects int
}

// Client announces to and scrapes HTTP(S) trackers. It is safe for
// concurrent use; each call blocks the calling goroutine.
type Client struct {
	hc           *http.Client
	own          *http.Transport // nil when Options.HTTPClient is used
	userAgent    string
	maxSize      int64
	recvTimeout  time.Duration
	totalTimeout time.Duration
	maxRedirects int
}

// New returns a Client for opts.
func New(opts Options) *Client {
	c := &Client{
		userAgent:    opts.UserAgent,
		maxSize:      opts.MaxResponseSize,
		recvTimeout:  opts.ReceiveTimeout,
		totalTimeout: opts.CompletionTimeout,
		maxRedirects: opts.MaxRedirects,
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.maxSize <= 0 {
		c.maxSize = DefaultMaxResponseSize
	}
	if c.recvTimeout <= 0 {
		c.recvTimeout = DefaultReceiveTimeout
	}
	if c.totalTimeout <= 0 {
		c.totalTimeout = DefaultCompletionTimeout
	}
	if c.maxRedirects == 0 {
		c.maxRedirects = DefaultMaxRedirects
	}
	if opts.HTTPClient != nil {
		hc := *opts.HTTPClient
		c.hc = &hc
	} else {
		c.own = c.transport(opts)
		c.hc = &http.Client{Transport: c.own}
	}
	c.hc.CheckRedirect = c.checkRedirect
	return c
}

// transport builds the Client's own transport: no proxy from the
// environment (a tracker connection must not silently go elsewhere; a
// proxy is configured through Options.HTTPClient), bounded headers, and
// idle connections dropped soon, since announces to one tracker are
// minutes apart.
func (c *Client) transport(opts Options) *http.Transport {
	network := opts.Network
	if network == "" {
		network = "tcp"
	}
	dial := opts.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	return &http.Transport{
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			return dial(ctx, network, addr)
		},
		// No TLS or header timeouts here: the silence timer of get covers
		// every phase of a request, with one error for all of them.
		MaxResponseHeaderBytes: maxHeaderBytes,
		MaxIdleConnsPerHost:    1,
		IdleConnTimeout:        30 * time.Second,
	}
}

// CloseIdleConnections closes kept-alive connections (Session.Close, tests).
func (c *Client) CloseIdleConnections() { c.hc.CloseIdleConnections() }

// checkRedirect bounds redirects and refuses loops and non-HTTP targets.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if c.maxRedirects < 0 || len(via) > c.maxRedirects {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, max(c.maxRedirects, 0))
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return badURL(req.URL.String())
	}
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("%w: back to %s", ErrRedirectLoop, req.URL.Redacted())
		}
	}
	return nil
}

// Announce sends req to the tracker at announceURL and parses its reply.
// Errors: a *tracker.FailureError (the tracker refused), a
// *tracker.StatusError (not 200), tracker.ErrTimeout,
// tracker.ErrResponseTooLarge, tracker.ErrInvalidResponse, ErrBadURL,
// ErrTooManyRedirects, ErrRedirectLoop, or a network error.
func (c *Client) Announce(ctx context.Context, announceURL string, req tracker.AnnounceRequest) (tracker.AnnounceResponse, error) {
	if err := checkURL(announceURL); err != nil {
		return tracker.AnnounceResponse{Complete: -1, Incomplete: -1, Downloaded: -1}, err
	}
	body, err := c.get(ctx, announceRequestURL(announceURL, req))
	if err != nil {
		return tracker.AnnounceResponse{Complete: -1, Incomplete: -1, Downloaded: -1}, err
	}
	return ParseAnnounce(body)
}

// Scrape asks the tracker whose announce URL is announceURL for the counts
// of infoHashes (1 to MaxScrapeHashes), at the URL ScrapeURL derives.
// Hashes the tracker does not report are missing from the map; hashes it
// reports that were not asked for are dropped. Errors are Announce's, plus
// tracker.ErrNotScrapable.
func (c *Client) Scrape(ctx context.Context, announceURL string, infoHashes ...[20]byte) (map[[20]byte]tracker.ScrapeResponse, error) {
	if len(infoHashes) == 0 || len(infoHashes) > MaxScrapeHashes {
		return nil, fmt.Errorf("httptracker: scrape of %d info-hashes, want 1 to %d", len(infoHashes), MaxScrapeHashes)
	}
	u, err := scrapeRequestURL(announceURL, infoHashes)
	if err != nil {
		return nil, err
	}
	body, err := c.get(ctx, u)
	if err != nil {
		return nil, err
	}
	all, err := ParseScrape(body)
	if err != nil {
		return nil, err
	}
	out := make(map[[20]byte]tracker.ScrapeResponse, len(infoHashes))
	for _, h := range infoHashes {
		if r, ok := all[h]; ok {
			out[h] = r
		}
	}
	return out, nil
}

// checkURL accepts absolute http and https URLs only.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return badURL(raw)
	}
	return nil
}
