package metainfo

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSanitizeComponent(t *testing.T) {
	long := strings.Repeat("a", 300)
	tests := []struct {
		in, want string
	}{
		{"file.txt", "file.txt"},
		{".", ""},
		{"..", ""},
		{"", "_"},
		{"...", "..."},
		{"a/b", "ab"},
		{`a\b`, "ab"},
		{"/", ""},
		{"/..", ""},
		{"../etc", "..etc"},
		{"tab\there", "tab_here"},
		{"bad\xffutf8", "bad_utf8"},
		// Invalid UTF-8 is cut as libtorrent cuts it (checked with
		// libtorrent 2.0.8): a lead byte takes the bytes it announces.
		{"a\xc3Ab", "a_b"},
		{"a\xf8bcdefg", "a_fg"},
		{"ab\xe2\x82", "ab_"},
		{"\xed\xa0\x80x", "_x"},     // surrogate
		{"\xc0\x80x", "_x"},         // overlong
		{"\xf4\x90\x80\x80z", "_z"}, // past U+10FFFF
		{"a\x80\x80b", "a__b"},      // stray continuation bytes
		{"a\x00b", "ab"},            // NUL is removed, not replaced
		{"\x00", ""},
		{"..\x00", ""},
		{"a\x7f", "a\x7f"},
		{"evil\u202etxt.exe", "eviltxt.exe"},
		{"héllo", "héllo"},
		{" spaced ", " spaced "},
		{long, strings.Repeat("a", 240)},
		{long + ".mkv", strings.Repeat("a", 240) + ".mkv"},
		{strings.Repeat("é", 200), strings.Repeat("é", 120)},
	}
	for _, tc := range tests {
		if got := sanitizeComponent(tc.in); got != tc.want {
			t.Errorf("sanitizeComponent(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHostilePaths(t *testing.T) {
	tests := []struct {
		path []string
		want []string
	}{
		{[]string{"..", "..", "etc", "passwd"}, []string{"dir", "etc", "passwd"}},
		{[]string{"/etc/passwd"}, []string{"dir", "etcpasswd"}},
		{[]string{"C:", "Windows"}, []string{"dir", "C:", "Windows"}},
		{[]string{".", ".."}, []string{"dir", "_"}},
		{[]string{"a", "", "b"}, []string{"dir", "a", "_", "b"}},
		{[]string{`..\..\x`}, []string{"dir", "....x"}},
	}
	for _, tc := range tests {
		info := multiInfo()
		info["files"] = []any{fileEntry(10, tc.path...)}
		info["pieces"] = fakePieces(1)
		m, err := Parse(torrentBytes(t, info, nil))
		if err != nil {
			t.Fatalf("%q: %v", tc.path, err)
		}
		f := m.Info.Files[0]
		if !reflect.DeepEqual(f.PathComponents, tc.want) {
			t.Errorf("%q -> %q, want %q", tc.path, f.PathComponents, tc.want)
		}
		if !filepath.IsLocal(f.Path) || f.Path != filepath.Join(tc.want...) {
			t.Errorf("%q -> path %q not local or not joined", tc.path, f.Path)
		}
	}
}

func TestHostileName(t *testing.T) {
	info := singleInfo()
	info["name"] = "../../x"
	m, err := Parse(torrentBytes(t, info, nil))
	if err != nil {
		t.Fatal(err)
	}
	if m.Info.Name != "....x" || !filepath.IsLocal(m.Info.Files[0].Path) {
		t.Fatalf("name = %q", m.Info.Name)
	}
}

func TestDedupePaths(t *testing.T) {
	info := multiInfo()
	info["files"] = []any{
		fileEntry(1, "a.txt"),
		fileEntry(1, "A.TXT"),
		fileEntry(1, "a.txt"),
		fileEntry(1, "sub"),
		fileEntry(1, "sub", "x"),
		fileEntry(1, ".hidden"),
		fileEntry(1, ".hidden"),
	}
	info["pieces"] = fakePieces(1)
	m, err := Parse(torrentBytes(t, info, nil))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range m.Info.Files {
		got = append(got, filepath.ToSlash(f.Path))
		if f.Path != filepath.Join(f.PathComponents...) {
			t.Errorf("Path %q disagrees with components %q", f.Path, f.PathComponents)
		}
	}
	want := []string{"dir/a.txt", "dir/A.1.TXT", "dir/a.2.txt", "dir/sub.1", "dir/sub/x", "dir/.hidden", "dir/.hidden.1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}
