package storage

import (
	"errors"

	"golang.org/x/sys/unix"
)

func isCrossDevice(err error) bool { return errors.Is(err, unix.EXDEV) }
