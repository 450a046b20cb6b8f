package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/actorrent/actorrent"
)

// reconnectInterval: a download with no connection at all dials its -peer
// addresses again this often (a seed may start after us, or drop us).
const reconnectInterval = 2 * time.Second

// emptyFilesTimeout bounds the wait for zero-length files, which the disk
// creates in the background once the last piece is written.
const emptyFilesTimeout = 10 * time.Second

// errIncomplete: a seed's files do not hold every piece.
var errIncomplete = errors.New("files are not complete")

// checking reports whether a torrent is still looking at its files.
func checking(s actorrent.TorrentState) bool {
	switch s {
	case actorrent.QueuedForChecking, actorrent.CheckingFiles, actorrent.CheckingResumeData, actorrent.Allocating:
		return true
	}
	return false
}

// waitSeeding waits for the check of a seed's files and fails unless every
// piece is there.
func waitSeeding(ctx context.Context, w *watcher, ti *actorrent.TorrentInfo, savePath string) error {
	return w.poll(ctx, statusInterval, func(st actorrent.TorrentStatus) (bool, error) {
		switch {
		case checking(st.State):
			return false, nil
		case st.IsSeeding:
			return true, nil
		}
		return false, fmt.Errorf("%w: %d of %d pieces of %s are valid in %s",
			errIncomplete, st.NumPieces, ti.NumPieces(), ti.Name(), savePath)
	})
}

// fetchResult says what one download did.
type fetchResult struct {
	// Bytes were verified in this run (pieces found by the check excluded).
	Bytes   int64
	Elapsed time.Duration
}

// fetch drives one download until every piece is verified on disk and the
// zero-length files exist. report gets the progress after every poll.
// fresh says the save path started empty: everything is fetched. Else the
// bytes fetched are those of the pieces verified in this run (see the end).
func fetch(ctx context.Context, w *watcher, ti *actorrent.TorrentInfo, savePath string, peers []string, fresh bool,
	report func(done int64, rate, peers int)) (fetchResult, error) {
	start := time.Now()
	startDone := int64(-1)
	if fresh {
		startDone = 0
	}
	var lastDial time.Time
	err := w.poll(ctx, statusInterval, func(st actorrent.TorrentStatus) (bool, error) {
		if checking(st.State) {
			return false, nil
		}
		if startDone < 0 {
			startDone = st.TotalDone
		}
		report(st.TotalDone, st.DownloadPayloadRate, st.NumPeers)
		if st.IsFinished && st.NumPieces == ti.NumPieces() {
			return true, nil
		}
		if now := time.Now(); st.NumConnections == 0 && now.Sub(lastDial) >= reconnectInterval {
			lastDial = now
			for _, p := range peers {
				if err := w.h.ConnectPeer(ctx, p); err != nil {
					return false, fmt.Errorf("peer %s: %w", p, err)
				}
			}
			if len(peers) == 0 {
				// Only trackers can introduce us: ask again (the tracker
				// list keeps to each tracker's min interval), in case the
				// seed announced after our first announce.
				if err := w.h.ForceReannounce(ctx); err != nil {
					return false, err
				}
			}
		}
		return false, nil
	})
	if err != nil {
		return fetchResult{}, err
	}
	// The first status after the check may already count pieces fetched
	// in this run (on a fast link); the piece_finished alerts count them
	// exactly, unless some were lost to a slow subscriber: both are lower
	// bounds, and the larger is the count.
	res := fetchResult{Bytes: max(ti.TotalSize()-max(startDone, 0), w.verifiedBytes(ti)), Elapsed: time.Since(start)}
	return res, waitEmptyFiles(ctx, ti, savePath)
}

// waitEmptyFiles waits until every zero-length file of ti is in savePath.
func waitEmptyFiles(ctx context.Context, ti *actorrent.TorrentInfo, savePath string) error {
	var missing []string
	for _, f := range ti.Files() {
		if f.Size == 0 && !f.PadFile {
			missing = append(missing, filepath.Join(savePath, filepath.FromSlash(f.Path)))
		}
	}
	wctx, cancel := context.WithTimeout(ctx, emptyFilesTimeout)
	defer cancel()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for len(missing) > 0 {
		if _, err := os.Stat(missing[0]); err == nil {
			missing = missing[1:]
			continue
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			return fmt.Errorf("zero-length file %s was not created", missing[0])
		case <-t.C:
		}
	}
	return nil
}
