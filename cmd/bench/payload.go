package main

import (
	"context"
	"crypto/sha1"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/actorrent/actorrent/internal/metainfo"
)

// payloadName is the single file's name, so the torrent's name too.
const payloadName = "download_tcp_1gib.bin"

// pieceLength is the torrent's piece size, as the bench line's name says.
const pieceLength = 1 << 20

// chunkSize is how much pseudo-random data is generated and written at once.
const chunkSize = 4 << 20

// payloadSeed fixes the stream, so every run of the bench serves the same
// bytes (and the same info-hash for a given size).
var payloadSeed = [32]byte{'a', 'c', 't', 'o', 'r', 'r', 'e', 'n', 't', '-', 'b', 'e', 'n', 'c', 'h'}

// payload is the file the seeder serves and what downloads must equal.
type payload struct {
	dir     string   // the seeder's save path (holds payloadName)
	path    string   // the file
	torrent string   // its .torrent
	size    int64    // bytes
	sha1    [20]byte // of the whole file, computed once while writing
}

// makePayload writes size deterministic pseudo-random bytes (a ChaCha8
// stream: several GB/s, so 1 GiB takes about a second) under dir/seed and
// a 1 MiB-piece .torrent for it at dir/payload.torrent. The SHA-1 of the
// file is computed on the way, so verification never rereads the source.
func makePayload(ctx context.Context, dir string, size int64) (payload, error) {
	return makePayloadWith(ctx, dir, size, metainfo.CreateOptions{PieceLength: pieceLength})
}

// makePayloadWith is makePayload with the torrent's options (piece length,
// trackers) given.
func makePayloadWith(ctx context.Context, dir string, size int64, opts metainfo.CreateOptions) (payload, error) {
	p := payload{dir: filepath.Join(dir, "seed"), torrent: filepath.Join(dir, "payload.torrent"), size: size}
	p.path = filepath.Join(p.dir, payloadName)
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return p, fmt.Errorf("bench: payload: %w", err)
	}
	f, err := os.Create(p.path)
	if err != nil {
		return p, fmt.Errorf("bench: payload: %w", err)
	}
	rng := rand.NewChaCha8(payloadSeed)
	h := sha1.New()
	w := io.MultiWriter(f, h)
	buf := make([]byte, chunkSize)
	for left := size; left > 0; left -= int64(len(buf)) {
		if err := ctx.Err(); err != nil {
			_ = f.Close()
			return p, fmt.Errorf("bench: payload: %w", context.Cause(ctx))
		}
		if left < int64(len(buf)) {
			buf = buf[:left]
		}
		_, _ = rng.Read(buf) // never fails
		if _, err := w.Write(buf); err != nil {
			_ = f.Close()
			return p, fmt.Errorf("bench: payload: %w", err)
		}
	}
	if err := f.Close(); err != nil {
		return p, fmt.Errorf("bench: payload: %w", err)
	}
	copy(p.sha1[:], h.Sum(nil))

	opts.CreatedBy = "actorrent bench"
	mi, err := metainfo.Create(p.path, opts)
	if err != nil {
		return p, fmt.Errorf("bench: torrent: %w", err)
	}
	data, err := mi.Marshal()
	if err != nil {
		return p, fmt.Errorf("bench: torrent: %w", err)
	}
	if err := os.WriteFile(p.torrent, data, 0o644); err != nil {
		return p, fmt.Errorf("bench: torrent: %w", err)
	}
	return p, nil
}
