package metainfo

import (
	"reflect"
	"testing"
)

// slicesInfo: files a(10) empty(0) b(30000) pad(5) c(1), pieces of 16 KiB.
func slicesInfo() *Info {
	files := []File{
		{Length: 10},
		{Length: 0},
		{Length: 30000},
		{Length: 5, Pad: true},
		{Length: 1},
	}
	var off int64
	for k := range files {
		files[k].Offset = off
		off += files[k].Length
	}
	return &Info{PieceLength: 16384, Pieces: make([][20]byte, 2), Files: files, TotalLength: off}
}

func TestPieceSizeAndOffset(t *testing.T) {
	info := slicesInfo() // 30016 bytes: 16384 + 13632
	tests := []struct {
		index     int
		size, off int64
	}{
		{0, 16384, 0},
		{1, 13632, 16384},
		{2, 0, 0},
		{-1, 0, 0},
	}
	for _, tc := range tests {
		if got := info.PieceSize(tc.index); got != tc.size {
			t.Errorf("PieceSize(%d) = %d, want %d", tc.index, got, tc.size)
		}
		if got := info.PieceOffset(tc.index); got != tc.off {
			t.Errorf("PieceOffset(%d) = %d, want %d", tc.index, got, tc.off)
		}
	}
	if info.NumPieces() != 2 {
		t.Errorf("NumPieces = %d", info.NumPieces())
	}
}

func TestSlices(t *testing.T) {
	info := slicesInfo()
	tests := []struct {
		name        string
		off, length int64
		want        []FileSlice
	}{
		{"first piece crosses files, skips empty", 0, 16384, []FileSlice{{0, 0, 10}, {2, 0, 16374}}},
		{"last short piece includes pad", 16384, 13632, []FileSlice{{2, 16374, 13626}, {3, 0, 5}, {4, 0, 1}}},
		{"inside one file", 20, 100, []FileSlice{{2, 10, 100}}},
		{"exactly at boundary", 10, 1, []FileSlice{{2, 0, 1}}},
		{"clipped at end", 30015, 100, []FileSlice{{4, 0, 1}}},
		{"past end", 30016, 1, nil},
		{"negative offset", -1, 5, nil},
		{"zero length", 5, 0, nil},
		{"whole torrent", 0, 1 << 40, []FileSlice{{0, 0, 10}, {2, 0, 30000}, {3, 0, 5}, {4, 0, 1}}},
	}
	for _, tc := range tests {
		if got := info.Slices(tc.off, tc.length); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Slices(%d, %d) = %v, want %v", tc.name, tc.off, tc.length, got, tc.want)
		}
	}
}
