package storage

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// File priorities: a file of priority 0 is not created. The bytes of it
// that pieces shared with wanted files carry go to the part file, and
// come back out into the file when its priority is raised.

// parkedIO reads or writes chunk, which lies in parked file i at stream
// offset soff, through the part file, piece by piece. A read of a piece
// the part file does not hold falls back to the file itself (it may have
// been written before it was parked).
func (s *Storage) parkedIO(i int, chunk []byte, soff int64, write bool) error {
	if s.part == nil {
		return s.fileErr(i, "write", errors.New("no part file for a file of priority 0"))
	}
	pl := s.part.pieceLen
	for len(chunk) > 0 {
		piece := int(soff / pl)
		poff := soff % pl
		k := int(min(int64(len(chunk)), pl-poff))
		if write {
			if err := s.part.writeAt(piece, poff, chunk[:k]); err != nil {
				return s.fileErr(i, "write", err)
			}
		} else {
			ok, err := s.part.readAt(piece, poff, chunk[:k])
			if err != nil {
				return s.fileErr(i, "read", err)
			}
			if !ok {
				if err := s.readFile(i, chunk[:k], soff-s.files[i].offset); err != nil {
					return err
				}
			}
		}
		chunk, soff = chunk[k:], soff+int64(k)
	}
	return nil
}

// readFile reads p at pos of file i itself.
func (s *Storage) readFile(i int, p []byte, pos int64) error {
	h, err := s.acquire(i, false)
	if err != nil {
		return err
	}
	_, err = h.f.ReadAt(p, pos)
	s.pool.release(h)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return s.fileErr(i, "read", err)
	}
	return nil
}

// SetFilePriorities sets every file's priority (libtorrent's 0 to 7; only
// 0 matters here: not created). A file raised from 0 gets its bytes out of
// the part file; part-file slots no parked file needs any more are freed.
// The caller guarantees no other I/O on this storage meanwhile.
func (s *Storage) SetFilePriorities(prios []int) error {
	if len(prios) != len(s.files) {
		return fmt.Errorf("storage: %d priorities for %d files", len(prios), len(s.files))
	}
	var errs []error
	for i, p := range prios {
		f := &s.files[i]
		wasParked, parked := f.parked, p == 0 && !f.Pad
		if wasParked == parked {
			continue
		}
		if parked {
			if s.part == nil {
				errs = append(errs, s.fileErr(i, "priority", errors.New("no part file: priority 0 is not supported")))
				continue
			}
			f.parked = true
			continue
		}
		f.parked = false
		if err := s.exportFile(i); err != nil {
			f.parked = true // its bytes stay in the part file
			errs = append(errs, err)
		}
	}
	if s.part != nil {
		errs = append(errs, s.freeUnneededSlots())
	}
	return errors.Join(errs...)
}

// exportFile copies file i's bytes out of the part file into the file.
func (s *Storage) exportFile(i int) error {
	if s.part == nil {
		return nil
	}
	f := &s.files[i]
	if f.Length == 0 {
		return nil
	}
	pl := s.part.pieceLen
	buf := make([]byte, pl)
	for piece := int(f.offset / pl); int64(piece)*pl < f.offset+f.Length; piece++ {
		start := max(f.offset, int64(piece)*pl)
		end := min(f.offset+f.Length, int64(piece+1)*pl)
		chunk := buf[:end-start]
		ok, err := s.part.readAt(piece, start-int64(piece)*pl, chunk)
		if err != nil {
			return s.fileErr(i, "read", err)
		}
		if !ok {
			continue
		}
		h, err := s.acquire(i, true)
		if err != nil {
			return err
		}
		_, err = h.f.WriteAt(chunk, start-f.offset)
		s.pool.release(h)
		if err != nil {
			return s.fileErr(i, "write", err)
		}
	}
	return nil
}

// freeUnneededSlots frees the slots of pieces no parked file overlaps, and
// removes the part file once it holds nothing.
func (s *Storage) freeUnneededSlots() error {
	pl := s.part.pieceLen
	needed := make([]bool, len(s.part.slots))
	for i := range s.files {
		f := &s.files[i]
		if !f.parked || f.Length == 0 {
			continue
		}
		for p := f.offset / pl; p*pl < f.offset+f.Length && int(p) < len(needed); p++ {
			needed[p] = true
		}
	}
	for p, n := range needed {
		if !n {
			if err := s.part.free(p); err != nil {
				return err
			}
		}
	}
	if s.part.empty() {
		return s.part.remove()
	}
	return nil
}

// movePartFile moves the part file under a new save path.
func (s *Storage) movePartFile(dst string) error {
	if s.part == nil {
		return nil
	}
	if err := s.part.close(); err != nil {
		return err
	}
	to := filepath.Join(dst, filepath.Base(s.part.path))
	if err := moveFile(s.part.path, to); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s.part.path = to
	return nil
}

// partExists reports whether a part file is on disk.
func (s *Storage) partExists() bool {
	if s.part == nil {
		return false
	}
	_, err := os.Stat(s.part.path)
	return err == nil
}
