package storage

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteBlocksAt: vectored writes of every split of the stream into
// blocks, at every offset, land exactly as WriteAt would put them, across
// files, pad files and empty files, and leave the caller's slice alone.
func TestWriteBlocksAt(t *testing.T) {
	files := testFiles()
	r := rand.New(rand.NewPCG(3, 3))
	for _, opts := range []Options{{Sparse: true}, {Allocate: true}} {
		for off := 0; off < 42; off++ {
			for _, bs := range []int{1, 3, 7, 16, 42} {
				dir := t.TempDir()
				s := New(dir, files, opts)
				data := randBytes(r, 42-off)
				var blocks [][]byte
				for i := 0; i < len(data); i += bs {
					blocks = append(blocks, data[i:min(i+bs, len(data))])
				}
				orig := append([][]byte(nil), blocks...)
				if n, err := s.WriteBlocksAt(blocks, int64(off)); n != len(data) || err != nil {
					t.Fatalf("off %d bs %d: WriteBlocksAt = %d, %v", off, bs, n, err)
				}
				for i := range blocks {
					if len(blocks[i]) != len(orig[i]) || (len(orig[i]) > 0 && &blocks[i][0] != &orig[i][0]) {
						t.Fatalf("off %d bs %d: the caller's blocks were changed", off, bs)
					}
				}
				got := make([]byte, len(data))
				if _, err := s.ReadAt(got, int64(off)); err != nil {
					t.Fatal(err)
				}
				full := make([]byte, 42)
				copy(full[off:], data)
				if want := model(files, full)[off:]; !bytes.Equal(got, want) {
					t.Fatalf("off %d bs %d: read back %x, want %x", off, bs, got, want)
				}
				s.Close()
			}
		}
	}
	s := New(t.TempDir(), files, Options{})
	defer s.Close()
	if _, err := s.WriteBlocksAt([][]byte{make([]byte, 40)}, 5); err == nil {
		t.Error("a write past the end was accepted")
	}
}

// TestAllocate: an allocated file has its full size at once, and its
// blocks on disk (not a hole).
func TestAllocate(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, []FileSpec{{Path: "big", Length: 4 << 20}}, Options{Allocate: true})
	defer s.Close()
	if _, err := s.WriteAt([]byte("x"), 0); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "big"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() != 4<<20 {
		t.Errorf("size %d, want %d", st.Size(), 4<<20)
	}
	if blocks := allocatedBytes(st); blocks >= 0 && blocks < 4<<20 {
		t.Errorf("only %d bytes on disk after allocating %d", blocks, 4<<20)
	}
}
