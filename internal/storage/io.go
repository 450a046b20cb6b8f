package storage

import (
	"errors"
	"fmt"
	"io"
)

// ReadAt reads len(p) bytes of the torrent's byte stream at off. Pad files
// read as zeros. A missing file gives a *FileError matching fs.ErrNotExist;
// a file shorter than its spec gives one wrapping io.ErrUnexpectedEOF. n is
// the number of bytes read before any error.
func (s *Storage) ReadAt(p []byte, off int64) (int, error) { return s.rw(p, off, false) }

// WriteAt writes p into the torrent's byte stream at off (pwrite semantics
// per file), creating files and their directories as needed. Bytes that
// fall in pad files are discarded.
func (s *Storage) WriteAt(p []byte, off int64) (int, error) { return s.rw(p, off, true) }

func (s *Storage) rw(p []byte, off int64, write bool) (int, error) {
	op := "read"
	if write {
		op = "write"
	}
	if s.pool.isClosed() {
		return 0, fmt.Errorf("storage: %s: %w", op, ErrClosed)
	}
	if off < 0 || off > s.total || int64(len(p)) > s.total-off {
		return 0, fmt.Errorf("storage: %s %d bytes at %d of %d: %w", op, len(p), off, s.total, ErrOutOfRange)
	}
	n := 0
	for i := s.firstFile(off); n < len(p) && i < len(s.files); i++ {
		f := &s.files[i]
		if f.Length == 0 {
			continue
		}
		pos := off + int64(n) - f.offset
		chunk := p[n : n+int(min(int64(len(p)-n), f.Length-pos))]
		if f.Pad {
			if !write {
				clear(chunk)
			}
			n += len(chunk)
			continue
		}
		if f.parked {
			if err := s.parkedIO(i, chunk, off+int64(n), write); err != nil {
				return n, err
			}
			n += len(chunk)
			continue
		}
		h, err := s.acquire(i, write)
		if err != nil {
			if errors.Is(err, ErrClosed) {
				err = fmt.Errorf("storage: %s: %w", op, err)
			}
			return n, err
		}
		var m int
		if write {
			m, err = h.f.WriteAt(chunk, pos)
		} else {
			m, err = h.f.ReadAt(chunk, pos)
		}
		s.pool.release(h)
		n += m
		if err != nil {
			if !write && errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return n, s.fileErr(i, op, err)
		}
	}
	return n, nil
}
