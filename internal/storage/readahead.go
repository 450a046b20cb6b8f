package storage

import (
	"errors"
	"fmt"
	"io"
)

// ReadAtAhead is ReadAt for a sequential reader such as a full check. When
// ahead > 0 and the data at off is not all in the page cache, it first
// asks the kernel to read the ahead bytes from there on in the background
// (posix_fadvise WILLNEED), so that the device works while the caller
// hashes what it already has; hinted reports that it did. Data already
// cached costs what ReadAt costs: the probe is the read itself (preadv2
// with RWF_NOWAIT), and only a cold read pays for a hint. Where the probe
// is not available (not Linux, or a file system without it) ReadAtAhead
// is ReadAt and never hints. Errors are those of ReadAt.
func (s *Storage) ReadAtAhead(p []byte, off, ahead int64) (n int, hinted bool, err error) {
	if s.pool.isClosed() {
		return 0, false, fmt.Errorf("storage: read: %w", ErrClosed)
	}
	if off < 0 || off > s.total || int64(len(p)) > s.total-off {
		return 0, false, fmt.Errorf("storage: read %d bytes at %d of %d: %w", len(p), off, s.total, ErrOutOfRange)
	}
	for i := s.firstFile(off); n < len(p) && i < len(s.files); i++ {
		f := &s.files[i]
		if f.Length == 0 {
			continue
		}
		pos := off + int64(n) - f.offset
		chunk := p[n : n+int(min(int64(len(p)-n), f.Length-pos))]
		if f.Pad {
			clear(chunk)
			n += len(chunk)
			continue
		}
		if f.parked {
			if err := s.parkedIO(i, chunk, off+int64(n), false); err != nil {
				return n, hinted, err
			}
			n += len(chunk)
			continue
		}
		h, err := s.acquire(i, false)
		if err != nil {
			if errors.Is(err, ErrClosed) {
				err = fmt.Errorf("storage: read: %w", err)
			}
			return n, hinted, err
		}
		m := 0
		if ahead > 0 && !hinted && !s.noWait.Load() {
			var ok bool
			m, ok = preadNoWait(h.f, chunk, pos)
			if !ok {
				s.noWait.Store(true) // not supported here: plain reads from now on
			} else if m < len(chunk) {
				hinted = true
				s.willNeed(off+int64(n+m), ahead)
			}
		}
		var k int
		if m < len(chunk) {
			k, err = h.f.ReadAt(chunk[m:], pos+int64(m))
		}
		s.pool.release(h)
		n += m + k
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return n, hinted, s.fileErr(i, "read", err)
		}
	}
	return n, hinted, nil
}

// willNeed hints the kernel to read [off, off+n) of the byte stream
// ahead, file by file. Missing files and errors are ignored: it is advice.
func (s *Storage) willNeed(off, n int64) {
	n = min(n, s.total-off)
	for i := s.firstFile(off); n > 0 && i < len(s.files); i++ {
		f := &s.files[i]
		if f.Length == 0 {
			continue
		}
		pos := off - f.offset
		k := min(n, f.Length-pos)
		if !f.Pad {
			if h, err := s.acquire(i, false); err == nil {
				fadviseWillNeed(h.f, pos, k)
				s.pool.release(h)
			}
		}
		off += k
		n -= k
	}
}
