package metainfo

import (
	"bufio"
	"crypto/sha1"
	"fmt"
	"io"
	"os"
	"sync"
)

// maxHashBufferBytes bounds the memory held in piece buffers while hashing.
const maxHashBufferBytes = 256 << 20

// hashPieces reads the files back to back and returns the concatenated
// SHA-1 of every piece. One goroutine (the caller) reads sequentially, so
// disks see large in-order reads; workers goroutines hash full pieces.
func hashPieces(files []srcFile, total, pl int64, workers int) ([]byte, error) {
	n := (total + pl - 1) / pl
	out := make([]byte, n*20)
	nbuf := int(min(int64(2*workers), max(2, maxHashBufferBytes/pl)))
	free := make(chan []byte, nbuf) // recycled piece buffers; never blocks on return
	for range nbuf {
		free <- make([]byte, pl)
	}
	type job struct {
		index int64
		buf   []byte
	}
	jobs := make(chan job, nbuf)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				sum := sha1.Sum(j.buf)
				copy(out[j.index*20:], sum[:]) // disjoint ranges: no lock needed
				free <- j.buf[:cap(j.buf)]
			}
		})
	}
	// Each file is read only up to the size it had when listed, so a file
	// growing meanwhile cannot shift later pieces; one shrinking is an error.
	cr := &chainReader{files: files}
	r := bufio.NewReaderSize(cr, 1<<20)
	var err error
	for index := range n {
		buf := (<-free)[:min(pl, total-index*pl)]
		if _, err = io.ReadFull(r, buf); err != nil {
			break
		}
		jobs <- job{index, buf}
	}
	close(jobs)
	wg.Wait()
	cr.close()
	if err != nil {
		return nil, err
	}
	return out, nil
}

// chainReader reads files one after another as one stream, each limited
// to the size seen when it was listed.
type chainReader struct {
	files []srcFile
	next  int
	cur   *os.File
	left  int64 // bytes still expected from cur
	name  string
}

func (c *chainReader) Read(p []byte) (int, error) {
	for c.cur == nil || c.left == 0 {
		if c.cur != nil {
			c.close()
		}
		if c.next >= len(c.files) {
			return 0, io.EOF
		}
		f := c.files[c.next]
		c.next++
		if f.size == 0 {
			continue
		}
		fh, err := os.Open(f.abs)
		if err != nil {
			return 0, err
		}
		c.cur, c.left, c.name = fh, f.size, f.abs
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.cur.Read(p)
	c.left -= int64(n)
	if err == io.EOF {
		if c.left > 0 {
			return n, fmt.Errorf("%w: %s is shorter than when listed", ErrFileChanged, c.name)
		}
		err = nil
	}
	return n, err
}

func (c *chainReader) close() {
	if c.cur != nil {
		c.cur.Close()
		c.cur = nil
	}
}
