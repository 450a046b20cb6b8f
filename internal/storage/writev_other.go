//go:build !linux

package storage

import "os"

// pwritev writes bufs at pos one after the other.
func pwritev(f *os.File, bufs [][]byte, pos int64) (int, error) {
	n := 0
	for _, b := range bufs {
		m, err := f.WriteAt(b, pos)
		n += m
		pos += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
