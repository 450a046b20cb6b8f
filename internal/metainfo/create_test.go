package metainfo

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.torrent")

// pattern returns n deterministic, non-repeating-per-piece bytes.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7+i>>9) ^ seed
	}
	return b
}

// writeFiles creates files (slash paths relative to root) with contents.
func writeFiles(t testing.TB, root string, files map[string][]byte) {
	t.Helper()
	for p, data := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// verifyPieces hashes the concatenation of files independently of Create.
func verifyPieces(t *testing.T, m *MetaInfo, contents [][]byte) {
	t.Helper()
	all := bytes.Join(contents, nil)
	if int64(len(all)) != m.Info.TotalLength {
		t.Fatalf("total %d, content %d", m.Info.TotalLength, len(all))
	}
	pl := int(m.Info.PieceLength)
	want := (len(all) + pl - 1) / pl
	if m.Info.NumPieces() != want {
		t.Fatalf("NumPieces = %d, want %d", m.Info.NumPieces(), want)
	}
	for k := range want {
		end := min((k+1)*pl, len(all))
		if sha1.Sum(all[k*pl:end]) != m.Info.Pieces[k] {
			t.Fatalf("piece %d hash mismatch", k)
		}
		if m.Info.PieceSize(k) != int64(end-k*pl) {
			t.Fatalf("PieceSize(%d) = %d", k, m.Info.PieceSize(k))
		}
	}
}

// testTorrents are the deterministic torrents kept in testdata/.
var testTorrents = []struct {
	file  string
	root  string // base name of the created path
	files map[string][]byte
	opts  CreateOptions
}{
	{
		file:  "single.torrent",
		root:  "single.bin",
		files: map[string][]byte{"": pattern(40000, 1)},
		opts: CreateOptions{PieceLength: 16384, Trackers: [][]string{{"http://tracker.example/announce"}},
			Comment: "actorrent test torrent", CreatedBy: "actorrent", CreationDate: 1700000000},
	},
	{
		file: "multi.torrent",
		root: "multi",
		files: map[string][]byte{
			"a.txt":     pattern(100, 2),
			"empty":     {},
			"sub/b.bin": pattern(50000, 3),
			".hidden":   pattern(3, 4),
		},
		opts: CreateOptions{PieceLength: 16384, Trackers: [][]string{{"http://a.example/ann", "http://b.example/ann"}, {"udp://c.example:6969"}},
			CreatedBy: "actorrent", CreationDate: 1700000000, Workers: 3},
	},
	{
		file:  "small.torrent",
		root:  "small",
		files: map[string][]byte{"tiny.txt": []byte("hello, world\n"), "zero": {}},
		opts:  CreateOptions{Private: true, CreationDate: 1700000000},
	},
}

// materialise writes a testTorrents entry under a temp dir and returns the
// path to give Create.
func materialise(t testing.TB, root string, files map[string][]byte) string {
	dir := filepath.Join(t.TempDir(), root)
	if data, single := files[""]; single {
		writeFiles(t, filepath.Dir(dir), map[string][]byte{root: data})
		return dir
	}
	writeFiles(t, dir, files)
	return dir
}

func TestTestdataTorrents(t *testing.T) {
	for _, tt := range testTorrents {
		t.Run(tt.file, func(t *testing.T) {
			m, err := Create(materialise(t, tt.root, tt.files), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			data, err := m.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			loaded, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(loaded, m) {
				t.Fatalf("testdata/%s differs from a fresh Create; run go test -run TestTestdataTorrents -update", tt.file)
			}
		})
	}
}

func TestCreateRoundTrip(t *testing.T) {
	files := map[string][]byte{
		"b/deep/z.bin": pattern(70000, 5),
		"a.txt":        pattern(16383, 6), // smaller than one 16 KiB piece
		"empty.dat":    {},
		".hidden":      pattern(17, 7),
		"a.txt.bak":    pattern(1, 8),
	}
	root := materialise(t, "tree", files)
	if err := os.MkdirAll(filepath.Join(root, "emptydir", "nested"), 0o755); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if err := os.Symlink(filepath.Join(root, "a.txt"), filepath.Join(root, "link")); err != nil {
			t.Fatal(err)
		}
	}
	opts := CreateOptions{
		PieceLength: 32768,
		Trackers:    [][]string{{"http://only.example/ann"}},
		Comment:     "c", CreatedBy: "me", Private: true, CreationDate: 42, Workers: 4,
	}
	m, err := Create(root, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Sorted by path components, symlink and empty dirs left out.
	order := []string{".hidden", "a.txt", "a.txt.bak", "b/deep/z.bin", "empty.dat"}
	var got []string
	var contents [][]byte
	for _, f := range m.Info.Files {
		rel, _ := filepath.Rel("tree", f.Path)
		got = append(got, filepath.ToSlash(rel))
		contents = append(contents, files[filepath.ToSlash(rel)])
	}
	if !reflect.DeepEqual(got, order) {
		t.Fatalf("files = %q, want %q", got, order)
	}
	verifyPieces(t, m, contents)
	if m.Announce != "http://only.example/ann" || m.AnnounceList != nil || !m.Info.Private || m.Info.Name != "tree" {
		t.Fatalf("metainfo = %+v", m)
	}

	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Fatalf("round trip differs:\n%+v\n%+v", back, m)
	}
	again, err := back.Marshal()
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("Marshal not stable: %v", err)
	}
}

func TestCreateSingleFileAutoPieceLength(t *testing.T) {
	content := pattern(100000, 9)
	path := materialise(t, "one.bin", map[string][]byte{"": content})
	m, err := Create(path, CreateOptions{Trackers: [][]string{{"http://a/"}, {"http://b/"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Info.SingleFile || m.Info.Files[0].Path != "one.bin" || m.Info.PieceLength != 16384 {
		t.Fatalf("info = %+v", m.Info)
	}
	verifyPieces(t, m, [][]byte{content})
	if !reflect.DeepEqual(m.AnnounceList, [][]string{{"http://a/"}, {"http://b/"}}) || m.Announce != "http://a/" {
		t.Fatalf("trackers = %q %q", m.Announce, m.AnnounceList)
	}
}

func TestAutoPieceLength(t *testing.T) {
	tests := []struct{ total, want int64 }{
		{1, 16 << 10},
		{1500*(16<<10) - 1, 16 << 10},
		{1500 * (16 << 10), 32 << 10},
		{1 << 40, 16 << 20},
	}
	for _, tc := range tests {
		if got := autoPieceLength(tc.total); got != tc.want {
			t.Errorf("autoPieceLength(%d) = %d, want %d", tc.total, got, tc.want)
		}
	}
}

func TestCreateErrors(t *testing.T) {
	empty := materialise(t, "empties", map[string][]byte{"a": {}, "b/c": {}})
	if _, err := Create(empty, CreateOptions{}); !errors.Is(err, ErrInvalidTorrent) {
		t.Errorf("only empty files: err = %v", err)
	}
	if _, err := Create(filepath.Join(t.TempDir(), "missing"), CreateOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing path: err = %v", err)
	}
	one := materialise(t, "one", map[string][]byte{"x": {1}})
	if _, err := Create(one, CreateOptions{PieceLength: 1 << 30}); !errors.Is(err, ErrInvalidTorrent) {
		t.Errorf("huge piece length: err = %v", err)
	}
}

func TestLoadTooLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.torrent")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxTorrentFileSize + 1); err != nil { // sparse: no real I/O
		t.Fatal(err)
	}
	f.Close()
	if _, err := Load(p); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "nope")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing: err = %v", err)
	}
}

func TestMagnetURI(t *testing.T) {
	m := &MetaInfo{
		Info:         Info{Name: "a b&c"},
		Announce:     "http://t/a",
		AnnounceList: [][]string{{"http://t/a", "udp://u:1"}},
		URLList:      []string{"http://w/"},
	}
	m.InfoHash[0] = 0xab
	want := "magnet:?xt=urn:btih:ab00000000000000000000000000000000000000&dn=a+b%26c" +
		"&tr=http%3A%2F%2Ft%2Fa&tr=udp%3A%2F%2Fu%3A1&ws=http%3A%2F%2Fw%2F"
	if got := m.MagnetURI(); got != want {
		t.Fatalf("MagnetURI =\n%s\nwant\n%s", got, want)
	}
}

func TestMarshalWithoutInfo(t *testing.T) {
	if _, err := (&MetaInfo{}).Marshal(); !errors.Is(err, ErrInvalidTorrent) {
		t.Fatalf("err = %v", err)
	}
}
