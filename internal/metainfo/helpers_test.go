package metainfo

import (
	"crypto/sha1"
	"testing"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// fakePieces returns n distinct 20-byte hashes, concatenated.
func fakePieces(n int) []byte {
	out := make([]byte, 0, n*20)
	for i := range n {
		s := sha1.Sum([]byte{byte(i), byte(i >> 8)})
		out = append(out, s[:]...)
	}
	return out
}

// fileEntry builds one "files" entry.
func fileEntry(length int64, path ...string) map[string]any {
	return map[string]any{"length": length, "path": path}
}

// multiInfo is a valid multi-file info dict: 3 files of 10+0+30000 bytes
// in 16 KiB pieces (2 pieces).
func multiInfo() map[string]any {
	return map[string]any{
		"name":         "dir",
		"piece length": 16384,
		"pieces":       fakePieces(2),
		"files": []map[string]any{
			fileEntry(10, "a.txt"),
			fileEntry(0, "empty"),
			fileEntry(30000, "sub", "b.bin"),
		},
	}
}

// singleInfo is a valid single-file info dict of 20000 bytes (2 pieces).
func singleInfo() map[string]any {
	return map[string]any{
		"name":         "file.bin",
		"piece length": 16384,
		"pieces":       fakePieces(2),
		"length":       20000,
	}
}

// torrentBytes bencodes a whole torrent with info as its info dict.
func torrentBytes(t testing.TB, info map[string]any, extra map[string]any) []byte {
	t.Helper()
	d := map[string]any{"info": info}
	for k, v := range extra {
		d[k] = v
	}
	b, err := bencodex.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := bencodex.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
