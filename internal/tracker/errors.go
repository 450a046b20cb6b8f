package tracker

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors shared by the clients, so that the torrent actor can
// classify any client's error with errors.Is. They mirror libtorrent's
// error codes where one exists.
var (
	// ErrInvalidResponse: the body is not a valid tracker response
	// (libtorrent invalid_tracker_response).
	ErrInvalidResponse = errors.New("tracker: invalid response")
	// ErrResponseTooLarge: the body exceeds the size limit
	// (tracker_maximum_response_length); it was not read further.
	ErrResponseTooLarge = errors.New("tracker: response too large")
	// ErrTimeout: the tracker did not answer in time (receive or total
	// timeout, libtorrent timed_out).
	ErrTimeout = errors.New("tracker: timed out")
	// ErrNotScrapable: the tracker URL has no scrape convention
	// (libtorrent scrape_not_available).
	ErrNotScrapable = errors.New("tracker: scrape not available")
)

// FailureError is a tracker's own refusal: the "failure reason" of its
// response (libtorrent tracker_failure).
type FailureError struct {
	Reason string
	// RetryIn is how long the tracker asked us to wait ("retry in" of BEP 31,
	// or a "min interval" sent with the failure); 0 means it did not say.
	// List waits at least this long, within its own clamps.
	RetryIn time.Duration
	// Never is BEP 31's "retry in: never": List marks the tracker not
	// working at once.
	Never bool
}

func (e *FailureError) Error() string {
	return "tracker: failure: " + e.Reason
}

// StatusError is an HTTP reply other than 200 (libtorrent reports the code
// in tracker_error_alert.status_code).
type StatusError struct {
	Code   int
	Status string // the status line's text, e.g. "500 Internal Server Error"
	// Reason is the "failure reason" if the error body carried one.
	Reason string
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("tracker: HTTP status %d", e.Code)
	if e.Status != "" {
		s = "tracker: HTTP status " + e.Status
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}
