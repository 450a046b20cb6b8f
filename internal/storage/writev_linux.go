package storage

import (
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// maxIOV bounds the buffers of one pwritev (Linux's IOV_MAX).
const maxIOV = 1024

// pwritev writes bufs at pos in as few system calls as it can, going on
// after short writes.
func pwritev(f *os.File, bufs [][]byte, pos int64) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	n := 0
	for len(bufs) > 0 {
		batch := bufs[:min(len(bufs), maxIOV)]
		var m int
		var werr error
		if cerr := rc.Write(func(fd uintptr) bool {
			for {
				m, werr = unix.Pwritev(int(fd), batch, pos)
				if !errors.Is(werr, unix.EINTR) {
					return true
				}
			}
		}); cerr != nil {
			return n, cerr
		}
		if werr != nil {
			return n, &os.PathError{Op: "pwritev", Path: f.Name(), Err: werr}
		}
		if m == 0 {
			return n, io.ErrShortWrite
		}
		n += m
		pos += int64(m)
		// Drop what was written, slicing a buffer written in part.
		for m > 0 {
			if m >= len(bufs[0]) {
				m -= len(bufs[0])
				bufs = bufs[1:]
				continue
			}
			bufs[0] = bufs[0][m:]
			m = 0
		}
	}
	return n, nil
}
