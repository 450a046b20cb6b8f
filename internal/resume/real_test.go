package resume

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/actorrent/actorrent/internal/metainfo"
)

// testdata/lt208_partial.resume was written by libtorrent 2.0.8 for a 1 MB
// single-file torrent (64 KiB pieces, 4 blocks each) paused mid-download
// from a seeder on 127.0.0.1. It shows 2.0.8's bitmask bit order: piece 10
// had its first three blocks, written 0xe0.
func TestDecodeLibtorrentPartial(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "lt208_partial.resume"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	info, err := metainfo.ParseInfo(d.Info)
	if err != nil {
		t.Fatal(err)
	}
	if info.NumPieces() != 16 || len(d.Pieces) != 16 || len(d.Peers) != 1 || d.Peers[0].Addr().String() != "127.0.0.1" {
		t.Fatalf("pieces %x, peers %v", d.Pieces, d.Peers)
	}
	disk := []FileState{{Exists: true, Size: info.TotalLength, MTime: 1}}
	v, err := Validate(d, d.InfoHash, info, disk)
	if err != nil {
		t.Fatal(err)
	}
	for p := range v.Have {
		if v.Have[p] != (d.Pieces[p] == 1) || v.Verify[p] {
			t.Fatalf("piece %d: have %v verify %v, pieces %x", p, v.Have[p], v.Verify[p], d.Pieces)
		}
	}
	want := []UnfinishedPiece{{10, []bool{true, true, true, false}}, {11, []bool{true, true, false, false}}}
	if !reflect.DeepEqual(v.Unfinished, want) {
		t.Fatalf("Unfinished = %v, want %v", v.Unfinished, want)
	}
	// Re-encoding gives libtorrent's bytes back.
	if enc, err := d.Encode(); err != nil || string(enc) != string(raw) {
		t.Fatalf("Encode differs from libtorrent's file (%v)", err)
	}
}

// testdata/lt208_multi.resume: libtorrent 2.0.8 seeding a two-file torrent
// (plus an empty file) with two tracker tiers, saved with save_info_dict.
func TestDecodeLibtorrentSeed(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "lt208_multi.resume"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	info, err := metainfo.ParseInfo(d.Info)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Pieces, bytes.Repeat([]byte{1}, info.NumPieces())) || len(d.Trackers) != 1 ||
		d.LibtorrentVersion != "2.0.8.0" || d.URLList == nil || d.HTTPSeeds == nil || d.NumComplete != -1 ||
		d.MaxConnections != 16777215 || d.Paused || !d.AutoManaged || d.Allocation != AllocationSparse {
		t.Fatalf("decoded %+v", d)
	}
	disk := make([]FileState, len(info.Files))
	for k, f := range info.Files {
		disk[k] = FileState{Exists: true, Size: f.Length}
	}
	v, err := Validate(d, d.InfoHash, info, disk)
	if err != nil || !allTrue(v.Have) || v.Reason != "" {
		t.Fatalf("Validate = %+v, %v", v, err)
	}
	if enc, err := d.Encode(); err != nil || !bytes.Equal(enc, raw) {
		t.Fatalf("Encode differs from libtorrent's file (%v)", err)
	}
}
