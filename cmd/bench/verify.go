package main

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrVerify means a downloaded file is missing, has the wrong size or the
// wrong bytes.
var ErrVerify = errors.New("bench: verification failed")

// verify checks that saveDir holds the payload, byte for byte (by SHA-1).
func verify(ctx context.Context, p payload, saveDir string) error {
	path := filepath.Join(saveDir, payloadName)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrVerify, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrVerify, err)
	}
	if st.Size() != p.size {
		return fmt.Errorf("%w: %s is %d bytes, want %d", ErrVerify, path, st.Size(), p.size)
	}
	h := sha1.New()
	buf := make([]byte, chunkSize)
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("bench: verify: %w", context.Cause(ctx))
		}
		n, rerr := f.Read(buf)
		h.Write(buf[:n])
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("%w: %v", ErrVerify, rerr)
		}
	}
	var got [20]byte
	copy(got[:], h.Sum(nil))
	if got != p.sha1 {
		return fmt.Errorf("%w: %s has SHA-1 %x, want %x", ErrVerify, path, got, p.sha1)
	}
	return nil
}
