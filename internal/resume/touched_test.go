package resume

import (
	"reflect"
	"testing"

	"github.com/actorrent/actorrent/internal/metainfo"
)

func TestTouchedPieces(t *testing.T) {
	sizes := []FileSize{{Size: 40000, MTime: 1000}, {Size: 30000, MTime: 1000}}
	tests := []struct {
		name  string
		sizes []FileSize
		disk  func([]FileState)
		want  string
	}{
		{"nothing changed", sizes, nil, "00000"},
		{"b written since", sizes, func(s []FileState) { s[1].MTime = 2000 }, "00111"},
		{"a grown", sizes, func(s []FileState) { s[0].Size = 40001 }, "11100"},
		{"b partly there and changed", sizes, func(s []FileState) { s[1].Size = 100 }, "00100"},
		{"b missing", sizes, func(s []FileState) { s[1] = FileState{} }, "00000"},
		{"mtime moved, even within Validate's window", sizes, func(s []FileState) { s[0].MTime = 1300 }, "11100"},
		{"unknown recorded mtime", []FileSize{{Size: 40000, MTime: 0}, {Size: 30000, MTime: 0}}, func(s []FileState) { s[0].MTime = 9 }, "00000"},
		{"no file sizes: cannot tell", nil, func(s []FileState) { s[1].MTime = 2000 }, "00000"},
		{"wrong number of file sizes", sizes[:1], func(s []FileState) { s[1].MTime = 2000 }, "00000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			disk := present(multi)
			if tc.disk != nil {
				tc.disk(disk)
			}
			d := &Data{InfoHash: testHash, FileSizes: tc.sizes}
			if got := TouchedPieces(d, multi, disk); !reflect.DeepEqual(got, bits(tc.want)) {
				t.Fatalf("TouchedPieces = %v, want %s", got, tc.want)
			}
		})
	}
	if got := TouchedPieces(nil, multi, nil); len(got) != 5 {
		t.Fatalf("TouchedPieces(nil data) = %v", got)
	}
	padDisk := present(padded)
	padDisk[2].MTime = 5000
	d := &Data{InfoHash: testHash, FileSizes: []FileSize{{Size: 40000, MTime: 1000}, {Size: 1, MTime: 1}, {Size: 30000, MTime: 1000}}}
	if got := TouchedPieces(d, padded, padDisk); !reflect.DeepEqual(got, bits("00011")) {
		t.Fatalf("padded: %v", got)
	}
}

// Within one second only the nanoseconds tell a write after the save.
func TestTouchedPiecesNanoseconds(t *testing.T) {
	info := &metainfo.Info{PieceLength: 10, TotalLength: 20, Pieces: make([][20]byte, 2),
		Files: []metainfo.File{{Path: "a", Length: 20}}}
	d := &Data{Pieces: []byte{1, 0}, FileSizes: []FileSize{{Size: 20, MTime: 100, MTimeNano: 100_000_000_100}}}
	later := []FileState{{Exists: true, Size: 20, MTime: 100, MTimeNano: 100_500_000_000}}
	if got := TouchedPieces(d, info, later); !got[0] || !got[1] {
		t.Errorf("written later in the same second: touched = %v, want [true true]", got)
	}
	same := []FileState{{Exists: true, Size: 20, MTime: 100, MTimeNano: 100_000_000_100}}
	if got := TouchedPieces(d, info, same); got[1] {
		t.Errorf("unchanged: touched = %v", got)
	}
	b, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if back.FileSizes[0] != d.FileSizes[0] {
		t.Errorf("file sizes round trip: %+v, want %+v", back.FileSizes[0], d.FileSizes[0])
	}
}
