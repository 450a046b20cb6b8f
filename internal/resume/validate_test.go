package resume

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/metainfo"
)

const pl = 16 << 10

// Layouts used below (piece length 16 KiB):
//
//	single: f 40000 bytes → pieces 0,1 whole, 2 short (7232 bytes)
//	multi:  a 40000, b 30000 → piece 2 spans a[32768:40000] and b[0:9152];
//	        piece 4 (the last, 4464 bytes) is b's tail
//	padded: a 40000, pad 9152, b 30000 → piece 2 is a's tail and the pad,
//	        b is pieces 3 and 4
//	empties: a 40000, e1 0, b 30000, e2 0
var (
	single  = layout(pl, fileSpec{"f", 40000, false})
	multi   = layout(pl, fileSpec{"m/a", 40000, false}, fileSpec{"m/b", 30000, false})
	padded  = layout(pl, fileSpec{"p/a", 40000, false}, fileSpec{".pad/9152", 9152, true}, fileSpec{"p/b", 30000, false})
	empties = layout(pl, fileSpec{"e/a", 40000, false}, fileSpec{"e/e1", 0, false}, fileSpec{"e/b", 30000, false}, fileSpec{"e/e2", 0, false})
)

// bits turns "1.1" into []bool{true, false, true}.
func bits(s string) []bool {
	out := make([]bool, len(s))
	for i, c := range s {
		out[i] = c == '1'
	}
	return out
}

// have is a Data claiming the pieces marked '1' in s.
func have(s string) *Data {
	d := &Data{InfoHash: testHash, Pieces: make([]byte, len(s))}
	for i, c := range s {
		if c == '1' {
			d.Pieces[i] = 1
		}
	}
	return d
}

func TestValidate(t *testing.T) {
	withSizes := func(d *Data, sizes ...FileSize) *Data { d.FileSizes = sizes; return d }
	seed := func(d *Data) *Data { d.SeedMode = true; return d }
	tests := []struct {
		name         string
		info         *metainfo.Info
		d            *Data
		disk         func([]FileState) // edits present(info)
		have, verify string
		seedMode     bool
		problems     []error // per problem, in file order
		reason       []string
	}{
		{name: "single all there", info: single, d: have("111"), have: "111", verify: "000"},
		{name: "single missing", info: single, d: have("111"), disk: func(s []FileState) { s[0] = FileState{} },
			have: "000", verify: "111", problems: []error{ErrMismatchingFileSize}, reason: []string{`"f"`, "missing"}},
		{name: "single truncated below a claimed piece", info: single, d: have("111"), disk: func(s []FileState) { s[0].Size = 39999 },
			have: "000", verify: "111", problems: []error{ErrMismatchingFileSize}, reason: []string{`"f"`, "39999", "40000"}},
		{name: "sparse file shorter than unclaimed pieces", info: single, d: have("110"), disk: func(s []FileState) { s[0].Size = 2 * pl },
			have: "110", verify: "000"},
		{name: "grown, no file sizes", info: single, d: have("111"), disk: func(s []FileState) { s[0].Size = 50000 }, have: "111", verify: "000"},
		{name: "grown, file sizes", info: single, d: withSizes(have("111"), FileSize{Size: 40000, MTime: 1000}), disk: func(s []FileState) { s[0].Size = 50000 },
			have: "000", verify: "111", problems: []error{ErrMismatchingFileSize}, reason: []string{"50000", "recorded 40000"}},
		{name: "file sizes match", info: single, d: withSizes(have("111"), FileSize{Size: 40000, MTime: 1000}), have: "111", verify: "000"},
		{name: "mtime 1 s older is fine", info: single, d: withSizes(have("111"), FileSize{Size: 40000, MTime: 1001}), have: "111", verify: "000"},
		{name: "mtime 2 s older", info: single, d: withSizes(have("111"), FileSize{Size: 40000, MTime: 1002}),
			have: "000", verify: "111", problems: []error{ErrMismatchingFileTimestamp}, reason: []string{`"f"`, "modified at 1000"}},
		{name: "mtime 5 min newer is fine", info: single, d: withSizes(have("111"), FileSize{Size: 40000, MTime: 700}), have: "111", verify: "000"},
		{name: "mtime 5 min 1 s newer", info: single, d: withSizes(have("111"), FileSize{Size: 40000, MTime: 699}),
			have: "000", verify: "111", problems: []error{ErrMismatchingFileTimestamp}},
		{name: "recorded mtime 0 is unknown", info: single, d: withSizes(have("111"), FileSize{Size: 40000, MTime: 0}),
			disk: func(s []FileState) { s[0].MTime = 123456 }, have: "111", verify: "000"},
		{name: "file sizes mismatch without claims is harmless", info: single, d: withSizes(have("000"), FileSize{Size: 1, MTime: 1}), have: "000", verify: "000"},
		{name: "multi second file missing", info: multi, d: have("11111"), disk: func(s []FileState) { s[1] = FileState{} },
			have: "11000", verify: "00111", problems: []error{ErrMismatchingFileSize}, reason: []string{`"m/b"`}},
		{name: "multi first file truncated", info: multi, d: have("11111"), disk: func(s []FileState) { s[0].Size = 100 },
			have: "00011", verify: "11100", problems: []error{ErrMismatchingFileSize}, reason: []string{`"m/a"`}},
		{name: "spanning piece unclaimed: bad b only hits its claimed pieces", info: multi, d: have("11011"), disk: func(s []FileState) { s[1] = FileState{} },
			have: "11000", verify: "00011", problems: []error{ErrMismatchingFileSize}},
		{name: "both files bad", info: multi, d: have("11111"), disk: func(s []FileState) { s[0] = FileState{}; s[1].Size = 1 },
			have: "00000", verify: "11111", problems: []error{ErrMismatchingFileSize, ErrMismatchingFileSize}, reason: []string{`"m/a"`, `"m/b"`}},
		{name: "last short piece exactly there", info: multi, d: have("00001"), disk: func(s []FileState) { s[1].Size = 30000 }, have: "00001", verify: "00000"},
		{name: "last short piece one byte short", info: multi, d: have("00001"), disk: func(s []FileState) { s[1].Size = 29999 },
			have: "00000", verify: "00001", problems: []error{ErrMismatchingFileSize}},
		{name: "pad file never on disk", info: padded, d: have("11111"), have: "11111", verify: "00000"},
		{name: "pad file ignored in file sizes too", info: padded, d: withSizes(have("11111"), FileSize{Size: 40000, MTime: 1000}, FileSize{Size: 999, MTime: 999}, FileSize{Size: 30000, MTime: 1000}),
			have: "11111", verify: "00000"},
		{name: "padded b missing", info: padded, d: have("11111"), disk: func(s []FileState) { s[2] = FileState{} },
			have: "11100", verify: "00011", problems: []error{ErrMismatchingFileSize}},
		{name: "empty files missing do not matter", info: empties, d: have("11111"), disk: func(s []FileState) { s[1], s[3] = FileState{}, FileState{} },
			have: "11111", verify: "00000"},
		{name: "seed mode claims all", info: multi, d: seed(&Data{InfoHash: testHash}), have: "11111", verify: "00000", seedMode: true},
		{name: "seed mode is checked too", info: multi, d: seed(&Data{InfoHash: testHash}), disk: func(s []FileState) { s[1].Size = 10 },
			have: "11000", verify: "00111", problems: []error{ErrMismatchingFileSize}},
		{name: "seed mode dropped by a missing piece", info: multi, d: seed(have("11110")), have: "11110", verify: "00000"},
		{name: "verified bit alone is no claim", info: single, d: &Data{InfoHash: testHash, Pieces: []byte{2, 3, 0}}, have: "010", verify: "000"},
		{name: "no pieces, nothing on disk", info: multi, d: &Data{InfoHash: testHash}, disk: func(s []FileState) { s[0], s[1] = FileState{}, FileState{} },
			have: "00000", verify: "00000"},
		{name: "no pieces, files on disk are checked", info: multi, d: &Data{InfoHash: testHash}, disk: func(s []FileState) { s[1].Size = 100 },
			have: "00000", verify: "11100", reason: []string{`no "pieces"`, `"m/a"`, `"m/b"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			disk := present(tc.info)
			if tc.disk != nil {
				tc.disk(disk)
			}
			v, err := Validate(tc.d, testHash, tc.info, disk)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(v.Have, bits(tc.have)) || !reflect.DeepEqual(v.Verify, bits(tc.verify)) {
				t.Fatalf("Have %v Verify %v, want %s %s (reason %q)", v.Have, v.Verify, tc.have, tc.verify, v.Reason)
			}
			if v.SeedMode != tc.seedMode {
				t.Errorf("SeedMode = %v", v.SeedMode)
			}
			if len(v.Problems) != len(tc.problems) {
				t.Fatalf("Problems = %v, want %v", v.Problems, tc.problems)
			}
			for i, p := range v.Problems {
				if !errors.Is(p.Err, tc.problems[i]) {
					t.Errorf("problem %d = %v, want %v", i, p.Err, tc.problems[i])
				}
			}
			if (v.Reason != "") != strings.Contains(tc.verify, "1") {
				t.Errorf("Reason %q for verify %s", v.Reason, tc.verify)
			}
			for _, s := range tc.reason {
				if !strings.Contains(v.Reason, s) {
					t.Errorf("Reason %q lacks %q", v.Reason, s)
				}
			}
		})
	}
}

func TestValidateUnfinished(t *testing.T) {
	// 32 KiB pieces, two blocks each: piece 0 is in a; piece 1's block 0
	// spans a[32768:40000] and b[0:9152], its block 1 is b[9152:25536];
	// piece 2 (4464 bytes, one block) is b[25536:30000].
	info := layout(2*pl, fileSpec{"u/a", 40000, false}, fileSpec{"u/b", 30000, false})
	d := have("000")
	d.Unfinished = []UnfinishedPiece{
		{Piece: 0, Blocks: bits("10000000")},
		{Piece: 1, Blocks: bits("01000000")},
		{Piece: 2, Blocks: bits("10000000")},
	}
	tests := []struct {
		name string
		disk func([]FileState)
		want []UnfinishedPiece
	}{
		{"all there, trimmed to the piece", nil, []UnfinishedPiece{{0, bits("10")}, {1, bits("01")}, {2, bits("1")}}},
		{"b missing", func(s []FileState) { s[1] = FileState{} }, []UnfinishedPiece{{0, bits("10")}}},
		{"b holds piece 1's blocks only", func(s []FileState) { s[1].Size = 25536 }, []UnfinishedPiece{{0, bits("10")}, {1, bits("01")}}},
		{"b one byte short of them", func(s []FileState) { s[1].Size = 25535 }, []UnfinishedPiece{{0, bits("10")}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			disk := present(info)
			if tc.disk != nil {
				tc.disk(disk)
			}
			v, err := Validate(d, testHash, info, disk)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(v.Unfinished, tc.want) {
				t.Fatalf("Unfinished = %v, want %v", v.Unfinished, tc.want)
			}
		})
	}
	if len(d.Unfinished[0].Blocks) != 8 {
		t.Fatal("Validate changed its input")
	}

	// Claimed whole, or nothing finished: nothing to resume.
	d = have("100")
	d.Unfinished = []UnfinishedPiece{{Piece: 0, Blocks: bits("11")}, {Piece: 1, Blocks: bits("00")}}
	v, err := Validate(d, testHash, info, present(info))
	if err != nil || v.Unfinished != nil {
		t.Fatalf("Unfinished = %v, %v; want none", v.Unfinished, err)
	}
	// A bad file drops the partial pieces over it, even short of the
	// claimed piece's need.
	d = have("011")
	d.Unfinished = []UnfinishedPiece{{Piece: 0, Blocks: bits("10")}}
	disk := present(info)
	disk[0].Size = 20000 // holds block 0 of piece 0, not claimed piece 1
	if v, err = Validate(d, testHash, info, disk); err != nil || v.Unfinished != nil || !v.Verify[1] {
		t.Fatalf("Verdict %+v, %v", v, err)
	}
}

func TestValidateErrors(t *testing.T) {
	otherInfo := []byte("d4:name5:othere")
	tests := []struct {
		name string
		d    *Data
		info *metainfo.Info
		disk []FileState
		want error
	}{
		{"other torrent", &Data{InfoHash: [20]byte{1}}, single, nil, ErrMismatchingInfoHash},
		{"info dict of other torrent", &Data{InfoHash: testHash, Info: otherInfo}, single, nil, ErrMismatchingInfoHash},
		{"pieces too short", have("11"), single, nil, ErrMissingPieces},
		{"pieces too long", have("1111"), single, nil, ErrMissingPieces},
		{"unfinished without pieces", &Data{InfoHash: testHash, Unfinished: []UnfinishedPiece{{0, bits("1")}}}, single, nil, ErrMissingPieces},
		{"file sizes count", &Data{InfoHash: testHash, FileSizes: []FileSize{{Size: 1, MTime: 1}, {Size: 2, MTime: 2}}}, single, nil, ErrMismatchingNumberOfFiles},
		{"empty file sizes", &Data{InfoHash: testHash, FileSizes: []FileSize{}}, single, nil, ErrMismatchingNumberOfFiles},
		{"file sizes count pad files", &Data{InfoHash: testHash, FileSizes: []FileSize{{Size: 1, MTime: 1}, {Size: 2, MTime: 2}}}, padded, nil, ErrMismatchingNumberOfFiles},
		{"file priorities", &Data{InfoHash: testHash, FilePriority: []int{1, 1}}, single, nil, ErrMismatchingNumberOfFiles},
		{"mapped files", &Data{InfoHash: testHash, MappedFiles: []string{"", "x"}}, single, nil, ErrMismatchingNumberOfFiles},
		{"piece priorities", &Data{InfoHash: testHash, PiecePriority: []byte{1}}, single, nil, ErrMalformed},
		{"unfinished out of range", withUnfinished(have("000"), UnfinishedPiece{3, bits("1")}), single, nil, ErrMalformed},
		{"unfinished negative", withUnfinished(have("000"), UnfinishedPiece{-1, bits("1")}), single, nil, ErrMalformed},
		{"unfinished bitmask too long", withUnfinished(have("000"), UnfinishedPiece{0, bits("1000000000")}), single, nil, ErrMalformed},
		{"unfinished bitmask too short", withUnfinished(have("000"), UnfinishedPiece{0, nil}), single, nil, ErrMalformed},
		{"unfinished block past the piece", withUnfinished(have("000"), UnfinishedPiece{2, bits("01")}), single, nil, ErrMalformed},
		{"unfinished twice", withUnfinished(have("000"), UnfinishedPiece{0, bits("1")}, UnfinishedPiece{0, bits("1")}), single, nil, ErrMalformed},
		{"nil data", nil, single, nil, ErrInvalidArgument},
		{"nil info", have("111"), nil, nil, ErrInvalidArgument},
		{"disk states count", have("111"), single, []FileState{{}, {}}, ErrInvalidArgument},
		{"bad geometry", have("111"), &metainfo.Info{PieceLength: 0, Files: []metainfo.File{{Length: 1}}}, []FileState{{}}, ErrInvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			disk := tc.disk
			if disk == nil && tc.info != nil {
				disk = present(tc.info)
			}
			v, err := Validate(tc.d, testHash, tc.info, disk)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Validate = %+v, %v; want %v", v, err, tc.want)
			}
		})
	}
}

func withUnfinished(d *Data, u ...UnfinishedPiece) *Data {
	d.Unfinished = u
	return d
}

func TestValidateDecodedFile(t *testing.T) {
	// End to end through the wire format: a 1.0-style file (file sizes,
	// "full" allocation) whose second file was touched after saving.
	b := resumeFile(t, map[string]any{
		"libtorrent-version": "1.0.11.0",
		"allocation":         "full",
		"pieces":             "\x01\x01\x01\x01\x01",
		"file sizes":         []any{[]any{40000, 1000}, []any{30000, 1000}},
	})
	d, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	disk := present(multi)
	disk[1].MTime = 5000
	v, err := Validate(d, testHash, multi, disk)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(v.Have, bits("11000")) || !bytes.Contains([]byte(v.Reason), []byte("m/b")) {
		t.Fatalf("Verdict %+v", v)
	}
}
