package storage

import (
	"errors"
	"fmt"
)

// WriteBlocksAt writes blocks back to back into the torrent's byte stream
// at off, like WriteAt of their concatenation but without copying them
// together: one vectored write (pwritev) per file they span. A piece of
// 16 KiB blocks is one system call instead of one a block.
func (s *Storage) WriteBlocksAt(blocks [][]byte, off int64) (int, error) {
	total := 0
	for _, b := range blocks {
		total += len(b)
	}
	if s.pool.isClosed() {
		return 0, fmt.Errorf("storage: write: %w", ErrClosed)
	}
	if off < 0 || off > s.total || int64(total) > s.total-off {
		return 0, fmt.Errorf("storage: write %d bytes at %d of %d: %w", total, off, s.total, ErrOutOfRange)
	}
	n := 0
	// What is still to write (a copy: rest[0] is re-sliced when a file
	// ends inside it, and the caller's slice must stay as it is).
	rest := append([][]byte(nil), blocks...)
	for i := s.firstFile(off); n < total && i < len(s.files); i++ {
		f := &s.files[i]
		if f.Length == 0 {
			continue
		}
		pos := off + int64(n) - f.offset
		size := int(min(int64(total-n), f.Length-pos))
		var iov [][]byte
		iov, rest = take(rest, size)
		if f.Pad {
			n += size
			continue
		}
		if f.parked {
			soff := off + int64(n)
			for _, b := range iov {
				if err := s.parkedIO(i, b, soff, true); err != nil {
					return n, err
				}
				soff += int64(len(b))
			}
			n += size
			continue
		}
		h, err := s.acquire(i, true)
		if err != nil {
			if errors.Is(err, ErrClosed) {
				err = fmt.Errorf("storage: write: %w", err)
			}
			return n, err
		}
		m, err := pwritev(h.f, iov, pos)
		s.pool.release(h)
		n += m
		if err != nil {
			return n, s.fileErr(i, "write", err)
		}
	}
	return n, nil
}

// take splits the first size bytes off bufs (slicing a buffer if need be).
func take(bufs [][]byte, size int) (head, rest [][]byte) {
	for size > 0 && len(bufs) > 0 {
		b := bufs[0]
		if len(b) > size {
			head = append(head, b[:size])
			bufs[0] = b[size:]
			return head, bufs
		}
		head = append(head, b)
		size -= len(b)
		bufs = bufs[1:]
	}
	return head, bufs
}
