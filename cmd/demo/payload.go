package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// payloadFile is one file of the swarm's payload.
type payloadFile struct {
	path string // slash-separated, relative to the payload's top directory
	size int64
}

// swarmFiles is the demo payload: 64 MiB in several files, with an empty
// and a tiny one, and sizes that put file boundaries inside pieces.
var swarmFiles = []payloadFile{
	{"video.bin", 40 << 20},
	{"sub/data.bin", 24<<20 - 4096 - 37},
	{"sub/notes.txt", 4096},
	{"tiny.txt", 37},
	{"empty", 0},
}

// writePayload writes files under dir with deterministic pseudo-random
// bytes: the same files and seed always give the same torrent.
func writePayload(dir string, files []payloadFile, seed uint64) error {
	buf := make([]byte, 1<<20)
	for i, f := range files {
		var key [32]byte
		key[0], key[1] = byte(seed), byte(i)
		rng := rand.NewChaCha8(key)
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		out, err := os.Create(p)
		if err != nil {
			return err
		}
		for left := f.size; left > 0 && err == nil; {
			n := min(left, int64(len(buf)))
			_, _ = rng.Read(buf[:n]) // ChaCha8.Read never fails
			_, err = out.Write(buf[:n])
			left -= n
		}
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("payload %s: %w", f.path, err)
		}
	}
	return nil
}

// sameTree checks that the regular files under a and b are the same set of
// relative paths with identical bytes.
func sameTree(a, b string) error {
	fa, err := regularFiles(a)
	if err != nil {
		return err
	}
	fb, err := regularFiles(b)
	if err != nil {
		return err
	}
	for rel := range fb {
		if !fa[rel] {
			return fmt.Errorf("%s: extra file %s", b, rel)
		}
	}
	for rel := range fa {
		if !fb[rel] {
			return fmt.Errorf("%s: missing file %s", b, rel)
		}
		if err := sameFile(filepath.Join(a, rel), filepath.Join(b, rel)); err != nil {
			return err
		}
	}
	return nil
}

// regularFiles lists the regular files under root by relative path.
func regularFiles(root string) (map[string]bool, error) {
	out := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", p)
		}
		out[rel] = true
		return nil
	})
	return out, err
}

// sameFile compares two files byte for byte.
func sameFile(a, b string) error {
	fa, err := os.Open(a)
	if err != nil {
		return err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return err
	}
	defer fb.Close()
	ra, rb := bufio.NewReaderSize(fa, 1<<20), bufio.NewReaderSize(fb, 1<<20)
	x, y := make([]byte, 256<<10), make([]byte, 256<<10)
	for off := int64(0); ; {
		n, errA := io.ReadFull(ra, x)
		m, errB := io.ReadFull(rb, y)
		if n != m || !bytes.Equal(x[:n], y[:m]) {
			return fmt.Errorf("%s differs from %s near byte %d", b, a, off)
		}
		off += int64(n)
		if errA == io.EOF || errA == io.ErrUnexpectedEOF {
			if errB == io.EOF || errB == io.ErrUnexpectedEOF {
				return nil
			}
		}
		if errA != nil && errA != io.EOF && errA != io.ErrUnexpectedEOF {
			return errA
		}
		if errB != nil && errB != io.EOF && errB != io.ErrUnexpectedEOF {
			return errB
		}
		if (errA != nil) != (errB != nil) {
			return fmt.Errorf("%s and %s differ in length", a, b)
		}
	}
}
