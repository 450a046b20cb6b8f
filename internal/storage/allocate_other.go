//go:build !linux

package storage

import "os"

// allocate gives f its full length; without fallocate here, sparsely.
func allocate(f *os.File, length int64) error { return f.Truncate(length) }
