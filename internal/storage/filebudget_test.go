package storage

import (
	"testing"
)

// A FileBudget bounds the open files of several storages together
// (file_pool_size is session-wide), closing the least recently used.
func TestFileBudgetBoundsStoragesTogether(t *testing.T) {
	b := NewFileBudget(2)
	var stores []*Storage
	for range 2 {
		s := New(t.TempDir(), []FileSpec{{Path: "a", Length: 10}, {Path: "b", Length: 10}}, Options{FileBudget: b, Sparse: true})
		t.Cleanup(func() { _ = s.Close() })
		stores = append(stores, s)
	}
	buf := []byte("0123456789")
	for _, s := range stores {
		for _, off := range []int64{0, 10} {
			if _, err := s.WriteAt(buf, off); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := b.Open(); n != 2 {
		t.Fatalf("%d files open under a budget of 2", n)
	}
	b.SetMax(3)
	if _, err := stores[0].ReadAt(buf, 0); err != nil {
		t.Fatal(err)
	}
	if n := b.Open(); n != 3 {
		t.Fatalf("%d files open under a budget of 3", n)
	}
	for _, s := range stores {
		_ = s.Close()
	}
	if n := b.Open(); n != 0 {
		t.Fatalf("%d files counted after every storage closed", n)
	}
}
