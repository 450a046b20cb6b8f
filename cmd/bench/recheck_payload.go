package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/actorrent/actorrent/internal/metainfo"
)

// multiName is the multi-file torrent's name (its directory).
const multiName = "recheck_1gib_multi"

// checkPayload is what a recheck line checks: a torrent and the save path
// holding all of its files.
type checkPayload struct {
	torrent, save string
	size          int64
	files         int
}

// makeMultiPayload writes size pseudo-random bytes (the download payload's
// stream) as n files of uneven sizes under dir/recheck_1gib_multi, so that
// file ends fall anywhere in pieces, and makes its 1 MiB-piece torrent.
func makeMultiPayload(ctx context.Context, dir string, size int64, n int) (checkPayload, error) {
	p := checkPayload{torrent: filepath.Join(dir, multiName+".torrent"), save: dir, size: size, files: n}
	top := filepath.Join(dir, multiName)
	if err := os.MkdirAll(top, 0o755); err != nil {
		return p, fmt.Errorf("bench: multi payload: %w", err)
	}
	rng := rand.NewChaCha8(payloadSeed)
	cuts := []int64{0, size}
	pick := rand.New(rand.NewPCG(1, 2))
	for len(cuts) < n+1 {
		if c := pick.Int64N(size); !slices.Contains(cuts, c) {
			cuts = append(cuts, c)
		}
	}
	slices.Sort(cuts)
	buf := make([]byte, chunkSize)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return p, fmt.Errorf("bench: multi payload: %w", context.Cause(ctx))
		}
		f, err := os.Create(filepath.Join(top, fmt.Sprintf("f%03d.bin", i)))
		if err != nil {
			return p, fmt.Errorf("bench: multi payload: %w", err)
		}
		// Written as the single file is, in chunkSize writes: how a file
		// was written decides the page cache's folio sizes, and so the
		// cost of reading it back.
		for left := cuts[i+1] - cuts[i]; left > 0; left -= int64(len(buf)) {
			b := buf[:min(left, int64(len(buf)))]
			_, _ = rng.Read(b) // never fails
			if _, err = f.Write(b); err != nil {
				break
			}
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return p, fmt.Errorf("bench: multi payload: %w", err)
		}
	}
	mi, err := metainfo.Create(top, metainfo.CreateOptions{PieceLength: pieceLength, CreatedBy: "actorrent bench"})
	if err != nil {
		return p, fmt.Errorf("bench: multi torrent: %w", err)
	}
	data, err := mi.Marshal()
	if err != nil {
		return p, fmt.Errorf("bench: multi torrent: %w", err)
	}
	if err := os.WriteFile(p.torrent, data, 0o644); err != nil {
		return p, fmt.Errorf("bench: multi torrent: %w", err)
	}
	return p, nil
}
