package metainfo

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseSingleFile(t *testing.T) {
	data := torrentBytes(t, singleInfo(), map[string]any{
		"announce":      "http://tracker.example/announce",
		"comment":       "hello",
		"created by":    "test",
		"creation date": 1700000000,
		"url-list":      "http://seed.example/file.bin",
	})
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	info := m.Info
	if !info.SingleFile || info.Name != "file.bin" || info.TotalLength != 20000 || info.NumPieces() != 2 {
		t.Fatalf("info = %+v", info)
	}
	want := []File{{Path: "file.bin", PathComponents: []string{"file.bin"}, Length: 20000}}
	if !reflect.DeepEqual(info.Files, want) {
		t.Fatalf("files = %+v", info.Files)
	}
	if m.Announce != "http://tracker.example/announce" || m.Comment != "hello" || m.CreatedBy != "test" ||
		m.CreationDate != 1700000000 || !reflect.DeepEqual(m.URLList, []string{"http://seed.example/file.bin"}) {
		t.Fatalf("metainfo = %+v", m)
	}
	if !bytes.Contains(data, m.InfoBytes) || m.InfoBytes[0] != 'd' {
		t.Fatalf("InfoBytes not taken verbatim from the file")
	}
	if m.InfoHash != sha1.Sum(m.InfoBytes) {
		t.Fatalf("info-hash is not SHA-1 of InfoBytes")
	}
}

func TestParseMultiFile(t *testing.T) {
	data := torrentBytes(t, multiInfo(), map[string]any{
		"announce-list": []any{[]any{"http://a/ann", " ", 5}, []any{}, "junk", []any{"udp://b:1"}},
		"url-list":      []any{"http://w1/", 3, "http://w2/"},
	})
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	info := m.Info
	if info.SingleFile || info.TotalLength != 30010 {
		t.Fatalf("info = %+v", info)
	}
	want := []File{
		{Path: filepath.Join("dir", "a.txt"), PathComponents: []string{"dir", "a.txt"}, Length: 10},
		{Path: filepath.Join("dir", "empty"), PathComponents: []string{"dir", "empty"}, Length: 0, Offset: 10},
		{Path: filepath.Join("dir", "sub", "b.bin"), PathComponents: []string{"dir", "sub", "b.bin"}, Length: 30000, Offset: 10},
	}
	if !reflect.DeepEqual(info.Files, want) {
		t.Fatalf("files =\n%+v\nwant\n%+v", info.Files, want)
	}
	if !reflect.DeepEqual(m.AnnounceList, [][]string{{"http://a/ann"}, {"udp://b:1"}}) {
		t.Fatalf("announce-list = %q", m.AnnounceList)
	}
	if !reflect.DeepEqual(m.URLList, []string{"http://w1/", "http://w2/"}) {
		t.Fatalf("url-list = %q", m.URLList)
	}
}

func TestParseTrailingBytesAndUTF8Keys(t *testing.T) {
	info := singleInfo()
	info["name.utf-8"] = "unicode.bin"
	info["private"] = 1
	data := append(torrentBytes(t, info, nil), "\r\n"...)
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Info.Name != "unicode.bin" || !m.Info.Private {
		t.Fatalf("name = %q private = %v", m.Info.Name, m.Info.Private)
	}
	if _, err := ParseInfo(append(mustMarshal(t, info), 'x')); !errors.Is(err, ErrInvalidTorrent) {
		t.Fatalf("ParseInfo with trailing byte: err = %v", err)
	}
}

func TestParseDuplicateInfoKeyFirstWins(t *testing.T) {
	first := mustMarshal(t, singleInfo())
	other := singleInfo()
	other["name"] = "other"
	data := []byte("d4:info" + string(first) + "4:info" + string(mustMarshal(t, other)) + "e")
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Info.Name != "file.bin" || m.InfoHash != sha1.Sum(first) {
		t.Fatalf("name %q: info and info-hash must both come from the first info key", m.Info.Name)
	}
}

func TestParseErrors(t *testing.T) {
	mod := func(base func() map[string]any, f func(map[string]any)) []byte {
		info := base()
		f(info)
		return torrentBytes(t, info, nil)
	}
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"not bencode", []byte("hello"), "syntax"},
		{"not a dict", []byte("li1ee"), "not a dictionary"},
		{"no info", []byte("d8:announce1:xe"), "missing info"},
		{"info not dict", []byte("d4:infoi1ee"), "info must be a dictionary"},
		{"no name", mod(singleInfo, func(m map[string]any) { delete(m, "name") }), "name"},
		{"empty name", mod(singleInfo, func(m map[string]any) { m["name"] = "" }), "name"},
		{"single name sanitises away", mod(singleInfo, func(m map[string]any) { m["name"] = ".." }), "missing name"},
		{"name not string", mod(singleInfo, func(m map[string]any) { m["name"] = 5 }), "name"},
		{"no piece length", mod(singleInfo, func(m map[string]any) { delete(m, "piece length") }), "piece length"},
		{"zero piece length", mod(singleInfo, func(m map[string]any) { m["piece length"] = 0 }), "piece length 0"},
		{"negative piece length", mod(singleInfo, func(m map[string]any) { m["piece length"] = -16384 }), "piece length"},
		{"huge piece length", mod(singleInfo, func(m map[string]any) { m["piece length"] = 1 << 30 }), "piece length"},
		{"no pieces", mod(singleInfo, func(m map[string]any) { delete(m, "pieces") }), "pieces"},
		{"pieces not multiple of 20", mod(singleInfo, func(m map[string]any) { m["pieces"] = fakePieces(2)[:39] }), "piece hashes"},
		{"too few pieces", mod(singleInfo, func(m map[string]any) { m["pieces"] = fakePieces(1) }), "piece hashes"},
		{"too many pieces", mod(singleInfo, func(m map[string]any) { m["pieces"] = fakePieces(3) }), "piece hashes"},
		{"neither length nor files", mod(singleInfo, func(m map[string]any) { delete(m, "length") }), "length must be"},
		{"negative length", mod(singleInfo, func(m map[string]any) { m["length"] = -1 }), "non-negative"},
		{"length not int", mod(singleInfo, func(m map[string]any) { m["length"] = "5" }), "non-negative"},
		{"huge length", mod(singleInfo, func(m map[string]any) { m["length"] = int64(1) << 50 }), "too large"},
		{"zero total", mod(singleInfo, func(m map[string]any) { m["length"] = 0; m["pieces"] = "" }), "no data"},
		{"files not list", mod(multiInfo, func(m map[string]any) { m["files"] = "x" }), "length must be"},
		{"files empty", mod(multiInfo, func(m map[string]any) { m["files"] = []any{} }), "no files"},
		{"file not dict", mod(multiInfo, func(m map[string]any) { m["files"] = []any{5} }), "not a dictionary"},
		{"file negative length", mod(multiInfo, func(m map[string]any) { m["files"] = []any{fileEntry(-1, "a")} }), "non-negative"},
		{"file no path", mod(multiInfo, func(m map[string]any) { m["files"] = []any{map[string]any{"length": 1}} }), "path"},
		{"file empty path", mod(multiInfo, func(m map[string]any) { m["files"] = []any{fileEntry(1)} }), "path"},
		{"file path not strings", mod(multiInfo, func(m map[string]any) {
			m["files"] = []any{map[string]any{"length": 1, "path": []any{"a", 1}}}
		}), "list of strings"},
		{"file path not list", mod(multiInfo, func(m map[string]any) {
			m["files"] = []any{map[string]any{"length": 1, "path": "a"}}
		}), "missing or empty path"},
		{"file too large", mod(multiInfo, func(m map[string]any) {
			m["files"] = []any{fileEntry(MaxFileLength, "a")}
		}), "too large"},
		{"total overflow", mod(multiInfo, func(m map[string]any) {
			var files []any
			for range MaxTotalLength/(MaxFileLength-1) + 1 {
				files = append(files, fileEntry(MaxFileLength-1, "a"))
			}
			m["files"] = files
		}), "total length"},
		{"int64 overflow in files", mod(multiInfo, func(m map[string]any) {
			m["files"] = []any{fileEntry(1<<62, "a"), fileEntry(1<<62, "b")}
		}), "too large"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse(tc.data)
			if !errors.Is(err, ErrInvalidTorrent) {
				t.Fatalf("Parse = %+v, %v; want ErrInvalidTorrent", m, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %q does not mention %q", err, tc.msg)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	_, err := Parse(make([]byte, MaxTorrentFileSize+1))
	if !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrInvalidTorrent) {
		t.Fatalf("err = %v", err)
	}
}

func TestParseTooManyFiles(t *testing.T) {
	// The bound is a parameter so the test needs no million-entry list;
	// through Parse, DefaultLimits.MaxItems (6 values per entry) bites first.
	raw := []byte("l" + strings.Repeat("d6:lengthi1e4:pathl1:aee", 4) + "e")
	if err := parseFiles(&Info{Name: "x"}, raw, 4); err != nil {
		t.Fatalf("4 files under a bound of 4: %v", err)
	}
	err := parseFiles(&Info{Name: "x"}, raw, 3)
	if !errors.Is(err, ErrInvalidTorrent) || !strings.Contains(err.Error(), "more than 3 files") {
		t.Fatalf("parseFiles err = %v", err)
	}
}

func TestPadFiles(t *testing.T) {
	info := multiInfo()
	info["files"] = []any{
		fileEntry(10, "a"),
		map[string]any{"length": 16374, "attr": "p"}, // BEP 47, no path
		map[string]any{"length": 16374, "attr": "p", "path": []string{".pad", "16374"}},
		fileEntry(5, "_____padding_file_0"),
		fileEntry(1, "b"),
	}
	info["pieces"] = fakePieces(2)
	m, err := Parse(torrentBytes(t, info, nil))
	if err != nil {
		t.Fatal(err)
	}
	f := m.Info.Files
	if f[0].Pad || !f[1].Pad || !f[2].Pad || !f[3].Pad || f[4].Pad {
		t.Fatalf("pad flags wrong: %+v", f)
	}
	// libtorrent files a pad file without a path under ".pad" at the top,
	// and sanitises the path of one that has a path like any other.
	if f[1].Path != filepath.Join(".pad", "16374") || f[2].Path != filepath.Join("dir", ".pad", "16374") {
		t.Fatalf("pad paths: %q %q", f[1].Path, f[2].Path)
	}
	if f[4].Offset != 10+16374*2+5 {
		t.Fatalf("pad files must count in offsets: %d", f[4].Offset)
	}
}

// TestParseNonCanonicalV1: libtorrent 2.0.8 loads a v1 torrent whose
// integers and string lengths have leading zeros (checked with its python
// binding); so do we, here and from bare metadata, with the info-hash of the
// bytes as they are.
func TestParseNonCanonicalV1(t *testing.T) {
	info := "d6:lengthi0425e4:name04:temp12:piece lengthi16384e6:pieces20:" + string(fakePieces(1)) + "e"
	m, err := Parse([]byte("d4:info" + info + "e"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Info.Name != "temp" || m.Info.TotalLength != 425 || m.InfoHash != sha1.Sum([]byte(info)) {
		t.Fatalf("name %q length %d", m.Info.Name, m.Info.TotalLength)
	}
	if _, err := FromInfoBytes([]byte(info)); err != nil {
		t.Fatal(err)
	}
}
