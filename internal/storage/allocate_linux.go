package storage

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// allocate gives f its full length on disk. File systems without
// fallocate get a sparse file of that length instead.
func allocate(f *os.File, length int64) error {
	if length == 0 {
		return nil
	}
	for {
		err := unix.Fallocate(int(f.Fd()), 0, 0, length)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.ENOSYS):
			return f.Truncate(length)
		}
		return err
	}
}
