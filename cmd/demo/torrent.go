package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/actorrent/actorrent"
)

// statusInterval is how often a watcher polls its torrent's status.
const statusInterval = 100 * time.Millisecond

// errTorrentFailed marks a torrent that went to the error state
// (torrent_error, file_error).
var errTorrentFailed = errors.New("torrent failed")

// watcher follows one torrent of a session through its alerts and status.
type watcher struct {
	h      actorrent.TorrentHandle
	ih     actorrent.InfoHash
	alerts <-chan actorrent.Alert
	stop   context.CancelFunc
}

// addTorrent adds ti to s with its files in savePath. It subscribes to the
// alerts first, so no error of the torrent can slip by.
func addTorrent(ctx context.Context, s *actorrent.Session, ti *actorrent.TorrentInfo, savePath string) (*watcher, error) {
	// The subscription lives until close (or the session's Close), not
	// just for this call.
	sctx, stop := context.WithCancel(context.Background())
	ch, err := s.Subscribe(sctx, alertMask)
	if err != nil {
		stop()
		return nil, err
	}
	h, err := s.AddTorrent(ctx, actorrent.AddTorrentParams{TI: ti, SavePath: savePath})
	if err != nil {
		stop()
		return nil, fmt.Errorf("adding torrent: %w", err)
	}
	return &watcher{h: h, ih: ti.InfoHash(), alerts: ch, stop: stop}, nil
}

// close ends the alert subscription.
func (w *watcher) close() { w.stop() }

// fatal turns an alert that ends this torrent into an error.
func (w *watcher) fatal(a actorrent.Alert) error {
	ta, ok := a.(actorrent.TorrentAlert)
	if !ok || ta.TorrentHandle().InfoHash() != w.ih {
		return nil
	}
	switch a := a.(type) {
	case actorrent.TorrentErrorAlert:
		return fmt.Errorf("%w: torrent_error: %v", errTorrentFailed, a.Error)
	case actorrent.FileErrorAlert:
		// The error usually names the file already; say it once.
		if a.Error != nil && strings.Contains(a.Error.Error(), a.File) {
			return fmt.Errorf("%w: file_error (%s): %v", errTorrentFailed, a.Operation, a.Error)
		}
		return fmt.Errorf("%w: file_error (%s) %s: %v", errTorrentFailed, a.Operation, a.File, a.Error)
	}
	return nil
}

// poll calls step with a fresh status every interval (and after every
// alert) until step reports done or fails, a fatal alert arrives, the
// torrent is in the error state, or ctx ends (its cause is returned).
func (w *watcher) poll(ctx context.Context, interval time.Duration, step func(actorrent.TorrentStatus) (bool, error)) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		st, err := w.h.Status(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			return err
		}
		if st.Error != "" {
			return w.errorState(st.Error)
		}
		if done, err := step(st); err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case a, ok := <-w.alerts:
			if !ok {
				return actorrent.ErrSessionClosed
			}
			if err := w.fatal(a); err != nil {
				return err
			}
		case <-t.C:
		}
	}
}

// errorState explains a torrent found in the error state: the alert that
// put it there says more (which file, which operation) than the status, so
// give it a moment to arrive.
func (w *watcher) errorState(msg string) error {
	timeout := time.NewTimer(time.Second)
	defer timeout.Stop()
	for {
		select {
		case a, ok := <-w.alerts:
			if !ok {
				return fmt.Errorf("%w: %s", errTorrentFailed, msg)
			}
			if err := w.fatal(a); err != nil {
				return err
			}
		case <-timeout.C:
			return fmt.Errorf("%w: %s", errTorrentFailed, msg)
		}
	}
}
