package storage

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// preadNoWait reads what of [pos, pos+len(b)) the page cache holds,
// without waiting for the device (preadv2 RWF_NOWAIT): a short count means
// the rest is not cached. ok is false when the kernel or the file system
// does not support it.
func preadNoWait(f *os.File, b []byte, pos int64) (n int, ok bool) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, false
	}
	ok = true
	// Control, not Read: Read takes the descriptor's read lock, which
	// would serialise the workers' reads of one file (pread, like
	// os.File.ReadAt, needs no lock: it has no file position).
	_ = rc.Control(func(fd uintptr) {
		for n < len(b) {
			m, err := unix.Preadv2(int(fd), [][]byte{b[n:]}, pos+int64(n), unix.RWF_NOWAIT)
			switch {
			case errors.Is(err, unix.EINTR):
				continue
			case errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS):
				ok = false
			}
			if err != nil || m <= 0 {
				// EAGAIN: not cached; anything else (and EOF) the
				// blocking read that follows reports properly.
				return
			}
			n += m
		}
	})
	return n, ok
}

// fadviseWillNeed starts reading [pos, pos+n) of f into the page cache.
func fadviseWillNeed(f *os.File, pos, n int64) {
	if rc, err := f.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) { _ = unix.Fadvise(int(fd), pos, n, unix.FADV_WILLNEED) })
	}
}
