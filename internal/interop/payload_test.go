package interop

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMakePayload(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]int64
		wantErr error
	}{
		{"empty spec", map[string]int64{}, nil},
		{"mixed sizes", map[string]int64{"a": 0, "b/c": 1, "b/d/e": 7, "f": 8, "g": 65537}, nil},
		{"absolute", map[string]int64{"/etc/x": 1}, ErrBadPayload},
		{"escapes", map[string]int64{"../x": 1}, ErrBadPayload},
		{"empty name", map[string]int64{"": 1}, ErrBadPayload},
		{"negative", map[string]int64{"x": -1}, ErrBadPayload},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			err := MakePayload(dir, tc.files, 7)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("MakePayload error %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			for name, size := range tc.files {
				st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name)))
				if err != nil {
					t.Fatal(err)
				}
				if st.Size() != size {
					t.Errorf("%s: size %d, want %d", name, st.Size(), size)
				}
			}
			// Deterministic: a second run elsewhere gives the same tree.
			again := t.TempDir()
			if err := MakePayload(again, tc.files, 7); err != nil {
				t.Fatal(err)
			}
			if err := CompareTrees(dir, again); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestMakePayloadDependsOnSeedAndName(t *testing.T) {
	read := func(seed int64, name string) []byte {
		dir := t.TempDir()
		if err := MakePayload(dir, map[string]int64{name: 64}, seed); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	base := read(1, "x")
	if bytes.Equal(base, read(2, "x")) {
		t.Error("seed does not change the content")
	}
	if bytes.Equal(base, read(1, "y")) {
		t.Error("name does not change the content")
	}
	if bytes.Count(base, []byte{0}) > 8 {
		t.Error("content does not look random")
	}
}

func TestCompareTrees(t *testing.T) {
	base := map[string]int64{"a": 10, "d/b": 0, "d/e/c": 5000}
	tests := []struct {
		name    string
		mutate  func(t *testing.T, dir string)
		wantErr error
		want    string // substring of the error
	}{
		{"identical", func(*testing.T, string) {}, nil, ""},
		{"empty dir is ignored", func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "extra"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, nil, ""},
		{"extra file", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "d/z"), "z")
		}, ErrTreesDiffer, `"d/z" only in`},
		{"missing file", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "d/b")); err != nil {
				t.Fatal(err)
			}
		}, ErrTreesDiffer, `"d/b" only in`},
		{"size", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "a"), "short")
		}, ErrTreesDiffer, `"a" is 10 bytes`},
		{"one byte", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "d/e/c")
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[4321] ^= 0xff
			writeFile(t, p, string(b))
		}, ErrTreesDiffer, "offset 4321"},
		{"extra symlink", func(t *testing.T, dir string) {
			if err := os.Symlink("a", filepath.Join(dir, "l")); err != nil {
				t.Fatal(err)
			}
		}, ErrTreesDiffer, `"l" only in`},
		{"symlink for a file", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "a")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join("d", "b"), filepath.Join(dir, "a")); err != nil {
				t.Fatal(err)
			}
		}, ErrTreesDiffer, "is a link"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := t.TempDir(), t.TempDir()
			for _, d := range []string{a, b} {
				if err := MakePayload(d, base, 3); err != nil {
					t.Fatal(err)
				}
			}
			tc.mutate(t, b)
			err := CompareTrees(a, b)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("CompareTrees error %v, want %v", err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
	if err := CompareTrees(filepath.Join(t.TempDir(), "none"), t.TempDir()); err == nil || errors.Is(err, ErrTreesDiffer) {
		t.Errorf("missing root: %v, want a plain I/O error", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCompareTreesSymlinks: links (BEP 47 symlinks) are equal when their
// targets are, whatever they point to.
func TestCompareTreesSymlinks(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := os.Symlink("nowhere", filepath.Join(d, "l")); err != nil {
			t.Fatal(err)
		}
	}
	if err := CompareTrees(a, b); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(b, "l")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("elsewhere", filepath.Join(b, "l")); err != nil {
		t.Fatal(err)
	}
	if err := CompareTrees(a, b); !errors.Is(err, ErrTreesDiffer) {
		t.Fatalf("different targets: %v", err)
	}
}
