package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// httpCloseTimeout bounds the wait for requests in progress when a
// server of the demo stops.
const httpCloseTimeout = 2 * time.Second

// serveOn serves srv on ln (-metrics, -http) until stop, which waits a
// little for requests in progress, then closes what is left.
func serveOn(ln net.Listener, srv *http.Server) (stop func() error) {
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	return func() error {
		ctx, cancel := context.WithTimeout(context.Background(), httpCloseTimeout)
		defer cancel()
		err := srv.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = srv.Close()
		}
		if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
		return err
	}
}
