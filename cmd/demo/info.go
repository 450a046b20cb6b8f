package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/actorrent/actorrent"
)

const infoSynopsis = "demo info TORRENT"

// runInfo prints what a .torrent file holds.
func runInfo(args []string, stdout io.Writer) error {
	fs := newFlagSet("info", infoSynopsis, stdout)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("info: want exactly one TORRENT, got %d arguments", len(pos))
	}
	ti, err := actorrent.LoadTorrentFile(pos[0])
	if err != nil {
		return err
	}
	// Build the whole text first so a failure never leaves half a listing.
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\n", ti.Name())
	fmt.Fprintf(&b, "info-hash: %s\n", ti.InfoHash())
	fmt.Fprintf(&b, "pieces: %d\n", ti.NumPieces())
	fmt.Fprintf(&b, "piece length: %d\n", ti.PieceLength())
	fmt.Fprintf(&b, "total size: %d\n", ti.TotalSize())
	if ti.Private() {
		fmt.Fprintf(&b, "private: yes\n")
	}
	for i, tier := range ti.Trackers() {
		fmt.Fprintf(&b, "tracker tier %d: %s\n", i, strings.Join(tier, " "))
	}
	files := ti.Files()
	fmt.Fprintf(&b, "files: %d\n", len(files))
	for _, f := range files {
		pad := ""
		if f.PadFile {
			pad = " (pad)"
		}
		// Size first: paths may hold spaces, sizes never do.
		fmt.Fprintf(&b, "  %12d  %s%s\n", f.Size, f.Path, pad)
	}
	_, err = io.WriteString(stdout, b.String())
	return err
}
