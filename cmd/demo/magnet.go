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

// isMagnet reports whether a TORRENT argument is a magnet link.
func isMagnet(arg string) bool {
	return strings.HasPrefix(strings.ToLower(arg), "magnet:")
}

// downloadMagnet adds a magnet link, waits for the metadata from the peers
// its trackers (and x.pe, and -peer) give, then downloads as download does.
func downloadMagnet(ctx context.Context, s *actorrent.Session, uri, savePath string,
	peers []string, rs *resumeSaver, verbose bool, stderr io.Writer) (res fetchResult, err error) {
	mp, pe, err := actorrent.ParseMagnetURI(uri)
	if err != nil {
		return fetchResult{}, err
	}
	// On a restart, resume data saved with the info dictionary spares the
	// metadata fetch and the pieces already had.
	w, err := addWatched(ctx, s, actorrent.AddTorrentParams{URL: uri, SavePath: savePath}, mp.InfoHash, rs, "magnet link")
	if err != nil {
		return fetchResult{}, err
	}
	h := w.h
	defer w.close()
	if verbose {
		w.pieceLog = stderr
	}
	var trackers []string
	for _, tier := range mp.Trackers {
		trackers = append(trackers, tier...)
	}
	fmt.Fprintf(stderr, "waiting for the metadata of %s from peers (trackers: %s; peers: %s)\n",
		mp.InfoHash, listOrNone(trackers), listOrNone(append(append([]string(nil), pe...), peers...)))
	start := time.Now()
	var lastDial time.Time
	err = w.poll(ctx, statusInterval, func(st actorrent.TorrentStatus) (bool, error) {
		if st.HasMetadata {
			return true, nil
		}
		if now := time.Now(); st.NumConnections == 0 && now.Sub(lastDial) >= reconnectInterval {
			lastDial = now
			for _, p := range peers {
				if err := w.h.ConnectPeer(ctx, p); err != nil {
					return false, fmt.Errorf("peer %s: %w", p, err)
				}
			}
		}
		return false, nil
	})
	if err != nil {
		return fetchResult{}, fmt.Errorf("waiting for metadata: %w", err)
	}
	ti, err := h.TorrentFile(ctx)
	if err != nil {
		return fetchResult{}, err
	}
	if ti == nil {
		return fetchResult{}, errors.New("metadata received but not available")
	}
	fmt.Fprintf(stderr, "metadata received in %.2f s: %s, %d bytes in %d files\n",
		time.Since(start).Seconds(), ti.Name(), ti.TotalSize(), len(ti.Files()))
	if rs != nil {
		// Resume data has something to say once the pieces are known.
		w.resume = rs
		defer func() { err = errors.Join(err, rs.final(w)) }()
	}
	view := newProgressView(stderr, []string{ti.Name()}, []int64{ti.TotalSize()})
	stopView := view.show()
	defer stopView()
	return fetch(ctx, w, ti, savePath, peers, false, func(done int64, rate, n int) { view.set(0, done, rate, n) })
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}
