package httptracker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
)

// errorBodyLimit bounds how much of a non-200 reply is read looking for a
// failure reason.
const errorBodyLimit = 4 << 10

// Causes of our own cancellations, so a timeout is told apart from the
// caller cancelling.
var (
	errSilent = errors.New("receive timeout")
	errTotal  = errors.New("completion timeout")
)

// get fetches rawURL within the Client's limits and returns the body of a
// 200 reply.
func (c *Client) get(ctx context.Context, rawURL string) ([]byte, error) {
	ctx, cancelTotal := context.WithTimeoutCause(ctx, c.totalTimeout, errTotal)
	defer cancelTotal()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// The silence timer is re-armed by every byte that arrives; when it
	// fires it cancels the request wherever it is (dial, headers, body).
	silence := time.AfterFunc(c.recvTimeout, func() { cancel(errSilent) })
	defer silence.Stop()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, badURL(rawURL)
	}
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.cause(ctx, redact(err))
	}
	defer resp.Body.Close() // unread bytes are not drained: the connection is dropped
	silence.Reset(c.recvTimeout)
	body := &silentReader{r: resp.Body, timer: silence, d: c.recvTimeout}

	if resp.StatusCode != http.StatusOK {
		se := &tracker.StatusError{Code: resp.StatusCode, Status: resp.Status}
		if b, err := io.ReadAll(io.LimitReader(body, errorBodyLimit)); err == nil {
			var fe *tracker.FailureError
			if _, err := ParseAnnounce(b); errors.As(err, &fe) {
				se.Reason = fe.Reason
			}
		}
		return nil, se
	}
	if resp.ContentLength > c.maxSize {
		return nil, fmt.Errorf("%w: Content-Length %d, limit %d", tracker.ErrResponseTooLarge, resp.ContentLength, c.maxSize)
	}
	b, err := io.ReadAll(io.LimitReader(body, c.maxSize+1))
	if err != nil {
		return nil, c.cause(ctx, err)
	}
	if int64(len(b)) > c.maxSize {
		return nil, fmt.Errorf("%w: more than %d bytes", tracker.ErrResponseTooLarge, c.maxSize)
	}
	return b, nil
}

// cause turns an error that our own timers caused into tracker.ErrTimeout
// (the caller's deadline and a transport's own timeouts, too, are
// timeouts); other errors pass unchanged.
func (c *Client) cause(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			// A timeout of a transport the caller gave us.
			return fmt.Errorf("%w: %w", tracker.ErrTimeout, err)
		}
		return err
	}
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errSilent):
		return fmt.Errorf("%w: no data for %v", tracker.ErrTimeout, c.recvTimeout)
	case errors.Is(cause, errTotal):
		return fmt.Errorf("%w: no reply within %v", tracker.ErrTimeout, c.totalTimeout)
	case errors.Is(cause, context.DeadlineExceeded):
		return fmt.Errorf("%w: %w", tracker.ErrTimeout, cause)
	default:
		return cause
	}
}

// silentReader re-arms the silence timer whenever data arrives.
type silentReader struct {
	r     io.Reader
	timer *time.Timer
	d     time.Duration
}

func (s *silentReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 {
		s.timer.Reset(s.d)
	}
	return n, err
}

// redact drops the query string from the URL in a transport error: it
// carries the info-hash, our peer id and, on private trackers, a passkey
// in the path or query, and the error ends up in alerts and logs. The
// path is kept up to its last element ("announce"), which says enough.
func redact(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return &url.Error{Op: ue.Op, URL: "(tracker URL)", Err: ue.Err}
	}
	u.RawQuery, u.User = "", nil
	if i := strings.LastIndex(u.Path, "/"); i > 0 {
		u.Path = "/***" + u.Path[i:]
	}
	return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
}
