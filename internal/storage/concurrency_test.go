package storage

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestConcurrentAccess runs many goroutines writing and reading across 10
// files through a pool of 2 handles while others flush and release, so
// handles are evicted, upgraded and reopened under contention. With -race
// this also checks the pool's locking; a handle closed while in use would
// surface as an I/O error.
func TestConcurrentAccess(t *testing.T) {
	var files []FileSpec
	for i := 0; i < 10; i++ {
		files = append(files, FileSpec{Path: fmt.Sprintf("d%d/f%d", i%3, i), Length: int64(1000 + 37*i)})
		if i == 4 {
			files = append(files, FileSpec{Path: "pad", Length: 13, Pad: true})
		}
	}
	s := New(t.TempDir(), files, Options{MaxOpenFiles: 2, Sparse: true})
	total := int(s.TotalLength())
	// Create every file first so the long reads below never miss one.
	if _, err := s.WriteAt(make([]byte, total), 0); err != nil {
		t.Fatal(err)
	}
	const workers = 16
	// Each worker owns the byte positions congruent to its id modulo
	// workers (written in small runs), so writes never overlap and every
	// worker can verify its own data at any time.
	var wg sync.WaitGroup
	errs := make(chan error, workers+2)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 9))
			for it := 0; it < 200; it++ {
				off := (r.IntN(total/workers))*workers + w
				if off >= total {
					continue
				}
				b := []byte{byte(off*7 + 1)}
				if _, err := s.WriteAt(b, int64(off)); err != nil {
					errs <- err
					return
				}
				got := make([]byte, 1)
				if _, err := s.ReadAt(got, int64(off)); err != nil {
					errs <- err
					return
				}
				// Inside the pad file a read gives zero.
				if got[0] != b[0] && got[0] != 0 {
					errs <- fmt.Errorf("worker %d: byte %d = %d want %d", w, off, got[0], b[0])
					return
				}
				// A long read spanning several files exercises the pool.
				long := make([]byte, 700)
				start := r.IntN(total - len(long))
				if _, err := s.ReadAt(long, int64(start)); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	stop := make(chan struct{})
	var bg sync.WaitGroup
	for _, fn := range []func() error{s.Flush, s.ReleaseFiles} {
		bg.Add(1)
		go func(fn func() error) {
			defer bg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := fn(); err != nil {
					errs <- err
					return
				}
			}
		}(fn)
	}
	wg.Wait()
	close(stop)
	bg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s.pool.mu.Lock()
	n := s.pool.lru.Len()
	s.pool.mu.Unlock()
	if n > 2 {
		t.Errorf("pool holds %d handles, max 2", n)
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
}

// TestConcurrentSameRegionWrites checks concurrent identical writes to one
// file (the pwrite path sharing a handle) leave consistent data.
func TestConcurrentSameRegionWrites(t *testing.T) {
	s := New(t.TempDir(), []FileSpec{{Path: "f", Length: 1 << 16}}, Options{MaxOpenFiles: 1, Sparse: true})
	defer s.Close()
	data := bytes.Repeat([]byte("abcd"), 1<<14)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for off := 0; off < len(data); off += 4096 {
				if _, err := s.WriteAt(data[off:off+4096], int64(off)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	got := make([]byte, len(data))
	if _, err := s.ReadAt(got, 0); err != nil || !bytes.Equal(got, data) {
		t.Errorf("read back mismatch: %v", err)
	}
}
