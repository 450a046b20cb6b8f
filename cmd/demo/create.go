package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/actorrent/actorrent"
)

const createSynopsis = "demo create [-piece-size BYTES] [-tracker URL]... -o OUT.torrent PATH"

// runCreate hashes a file or directory into a .torrent file.
func runCreate(args []string, stdout io.Writer) error {
	fs := newFlagSet("create", createSynopsis, stdout)
	pieceSize := fs.Int64("piece-size", 0, "piece size in bytes, a power of two (0 picks one from the total size)")
	var trackers stringList
	fs.Var(&trackers, "tracker", "announce URL, one tier each (repeatable)")
	out := fs.String("o", "", "the .torrent file to write (required)")
	comment := fs.String("comment", "", "comment stored in the torrent")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 1:
		return usageErrorf("create: want exactly one PATH, got %d arguments", len(pos))
	case *out == "":
		return usageErrorf("create: -o OUT.torrent is required")
	case *pieceSize < 0:
		return usageErrorf("create: -piece-size %d is negative", *pieceSize)
	}
	ti, err := actorrent.CreateTorrent(pos[0], actorrent.CreateTorrentOptions{
		PieceSize: *pieceSize, Trackers: trackers, Comment: *comment, CreatedBy: "actorrent demo",
	})
	if err != nil {
		return err
	}
	data, err := ti.Bytes()
	if err != nil {
		return err
	}
	if err := writeFileAtomic(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s: %s, info-hash %s, %d pieces of %d bytes\n",
		*out, ti.Name(), ti.InfoHash(), ti.NumPieces(), ti.PieceLength())
	return nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory, so a failed or interrupted write never leaves half a torrent.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".demo-*.torrent")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, werr)
	}
	return nil
}
