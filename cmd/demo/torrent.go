package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	// resume, when set, keeps the torrent's resume data on disk.
	resume *resumeSaver
	// pieceLog, when set, gets a line with the pieces had once checking
	// ends ("had N/M HEX", the bitfield in hex) and one per piece
	// verified afterwards ("piece I verified").
	pieceLog io.Writer
	checked  bool
	// verified are the pieces piece_finished said were verified in this
	// run (the session must queue CategoryProgress for them to come).
	verified map[int]bool
}

// count notes a piece verified in this run.
func (w *watcher) count(a actorrent.Alert) {
	if pf, ok := a.(actorrent.PieceFinishedAlert); ok && pf.Handle.InfoHash() == w.ih {
		if w.verified == nil {
			w.verified = map[int]bool{}
		}
		w.verified[pf.PieceIndex] = true
	}
}

// verifiedBytes is the size of the pieces verified in this run.
func (w *watcher) verifiedBytes(ti *actorrent.TorrentInfo) int64 {
	var n int64
	for i := range w.verified {
		n += ti.PieceSize(i)
	}
	return n
}

// logPieces writes the piece log lines of a status and an alert.
func (w *watcher) logPieces(st *actorrent.TorrentStatus, a actorrent.Alert) {
	if w.pieceLog == nil {
		return
	}
	if st != nil && !w.checked && !checking(st.State) {
		w.checked = true
		fmt.Fprintf(w.pieceLog, "had %d/%d %x\n", st.NumPieces, st.Pieces.Len(), st.Pieces.Bytes())
	}
	if pf, ok := a.(actorrent.PieceFinishedAlert); ok && w.checked && pf.Handle.InfoHash() == w.ih {
		fmt.Fprintf(w.pieceLog, "piece %d verified\n", pf.PieceIndex)
	}
}

// addTorrent adds ti to s with its files in savePath. It subscribes to the
// alerts first, so no error of the torrent can slip by.
func addTorrent(ctx context.Context, s *actorrent.Session, ti *actorrent.TorrentInfo, savePath string) (*watcher, error) {
	return addTorrentResuming(ctx, s, ti, savePath, nil)
}

// addTorrentResuming is addTorrent starting from the resume data rs keeps
// (if any), and keeping it up to date from then on.
func addTorrentResuming(ctx context.Context, s *actorrent.Session, ti *actorrent.TorrentInfo, savePath string,
	rs *resumeSaver, flags ...actorrent.AddTorrentFlags) (*watcher, error) {
	p := actorrent.AddTorrentParams{TI: ti, SavePath: savePath}
	for _, f := range flags {
		p.Flags |= f
	}
	w, err := addWatched(ctx, s, p, ti.InfoHash(), rs, "torrent")
	if err != nil {
		return nil, err
	}
	w.resume = rs
	return w, nil
}

// addWatched subscribes to the alerts, then adds p (with the resume data rs
// keeps, if any: resumeStore.addParams) and returns its watcher; what
// names it in an error. The subscription lives until close (or the
// session's Close), not just for this call.
func addWatched(ctx context.Context, s *actorrent.Session, p actorrent.AddTorrentParams, ih actorrent.InfoHash,
	rs *resumeSaver, what string) (*watcher, error) {
	sctx, stop := context.WithCancel(context.Background())
	ch, err := s.Subscribe(sctx, alertMask|actorrent.CategoryProgress) // progress: only with -v (openSessionWith)
	if err != nil {
		stop()
		return nil, err
	}
	p.Flags |= actorrent.FlagApplyIPFilter // the session's filter, if -ip-filter gave one
	resumed := rs != nil && rs.store.addParams(&p)
	h, err := s.AddTorrent(ctx, p)
	if err == nil && resumed {
		err = resumeIfPaused(ctx, h, rs.log)
	}
	if err != nil {
		stop()
		return nil, fmt.Errorf("adding %s: %w", what, err)
	}
	return &watcher{h: h, ih: ih, alerts: ch, stop: stop}, nil
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
// alert but the per-block ones) until step reports done or fails, a fatal alert arrives, the
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
		w.logPieces(&st, nil)
		if done, err := step(st); err != nil || done {
			return err
		}
		if w.resume != nil {
			if err := w.resume.tick(ctx, w, st); err != nil {
				return err
			}
		}
	wait:
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case a, ok := <-w.alerts:
			if !ok {
				return actorrent.ErrSessionClosed
			}
			if w.resume != nil {
				w.resume.handle(w, a)
			}
			w.logPieces(nil, a)
			w.count(a)
			if err := w.fatal(a); err != nil {
				return err
			}
			if perBlock(a) {
				goto wait // two a block under CategoryBlockProgress: no status for them
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

// perBlock reports the alerts posted for every block (libtorrent 1.0 has
// them in the progress category the demo asks for piece_finished).
func perBlock(a actorrent.Alert) bool {
	switch a.(type) {
	case actorrent.BlockDownloadingAlert, actorrent.BlockFinishedAlert:
		return true
	}
	return false
}
