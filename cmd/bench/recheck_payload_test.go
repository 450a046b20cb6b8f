package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/actorrent/actorrent/internal/metainfo"
)

// The multi-file payload has n files of uneven sizes that add up to size,
// and a torrent of 1 MiB pieces for them.
func TestMakeMultiPayload(t *testing.T) {
	const size, n = 3<<20 + 777, 20
	p, err := makeMultiPayload(context.Background(), t.TempDir(), size, n)
	if err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Load(p.torrent)
	if err != nil {
		t.Fatal(err)
	}
	if len(mi.Info.Files) != n || mi.Info.TotalLength != size || mi.Info.PieceLength != pieceLength {
		t.Fatalf("torrent: %d files, %d bytes, %d-byte pieces", len(mi.Info.Files), mi.Info.TotalLength, mi.Info.PieceLength)
	}
	sizes := map[int64]bool{}
	for _, f := range mi.Info.Files {
		st, err := os.Stat(filepath.Join(p.save, f.Path))
		if err != nil || st.Size() != f.Length {
			t.Fatalf("%s: %v, %d bytes on disk, %d in the torrent", f.Path, err, st.Size(), f.Length)
		}
		sizes[f.Length] = true
	}
	if len(sizes) < n/2 {
		t.Fatalf("file sizes are not uneven: %v", sizes)
	}
	if p.size != size || p.files != n {
		t.Fatalf("payload %+v", p)
	}
}
