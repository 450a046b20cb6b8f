package httptracker

import (
	"errors"
	"fmt"
)

// Errors of the HTTP client; the errors trackers cause (bad bodies, size,
// timeouts, failure reasons, status codes) are the shared ones of package
// tracker.
var (
	// ErrBadURL: the URL is not an absolute http:// or https:// URL.
	ErrBadURL = errors.New("httptracker: not an http(s) tracker URL")
	// ErrTooManyRedirects: more redirects than Options.MaxRedirects.
	ErrTooManyRedirects = errors.New("httptracker: too many redirects")
	// ErrRedirectLoop: a redirect led back to a URL already visited.
	ErrRedirectLoop = errors.New("httptracker: redirect loop")
)

func badURL(u string) error {
	return fmt.Errorf("%w: %q", ErrBadURL, u)
}
