package interop

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
)

// MakePayload creates, under dir, every file of files (slash-separated
// relative path -> size), creating parent directories. Contents are
// pseudo-random and deterministic: a file's bytes depend only on seed, its
// path and its size, so the same spec always gives the same torrent.
// Zero-length files are allowed.
func MakePayload(dir string, files map[string]int64, seed int64) error {
	names := make([]string, 0, len(files))
	for name, size := range files {
		if !filepath.IsLocal(filepath.FromSlash(name)) {
			return fmt.Errorf("%w: %q is not a local relative path", ErrBadPayload, name)
		}
		if size < 0 {
			return fmt.Errorf("%w: %q has negative size %d", ErrBadPayload, name, size)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := writePayloadFile(filepath.Join(dir, filepath.FromSlash(name)), name, files[name], seed); err != nil {
			return err
		}
	}
	return nil
}

func writePayloadFile(path, name string, size, seed int64) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("interop: payload %q: %w", name, err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("interop: payload %q: %w", name, err)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	w := bufio.NewWriterSize(f, 64<<10)
	var word [8]byte
	for left := size; left > 0; left -= int64(len(word)) {
		v := rng.Uint64()
		for i := range word {
			word[i] = byte(v >> (8 * i))
		}
		n := min(left, int64(len(word)))
		if _, err := w.Write(word[:n]); err != nil {
			_ = f.Close()
			return fmt.Errorf("interop: payload %q: %w", name, err)
		}
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return fmt.Errorf("interop: payload %q: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("interop: payload %q: %w", name, err)
	}
	return nil
}

// CompareTrees checks that the regular files under a and b are the same
// set of relative paths with byte-identical contents, and the symbolic
// links (BEP 47 symlinks) the same paths with the same targets. Directories
// only matter through the files in them; anything else (devices) is a
// difference. The error names the first difference, in path order.
func CompareTrees(a, b string) error {
	fa, err := listFiles(a)
	if err != nil {
		return err
	}
	fb, err := listFiles(b)
	if err != nil {
		return err
	}
	i, j := 0, 0
	for i < len(fa) || j < len(fb) {
		switch {
		case j >= len(fb) || (i < len(fa) && fa[i] < fb[j]):
			return fmt.Errorf("%w: %q only in %s", ErrTreesDiffer, fa[i], a)
		case i >= len(fa) || fb[j] < fa[i]:
			return fmt.Errorf("%w: %q only in %s", ErrTreesDiffer, fb[j], b)
		}
		if err := compareFiles(a, b, fa[i]); err != nil {
			return err
		}
		i++
		j++
	}
	return nil
}

// listFiles returns the slash-separated relative paths of the regular
// files under root, sorted.
func listFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, rerr := filepath.Rel(root, path)
		if rerr != nil {
			return rerr
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return fmt.Errorf("%w: %q in %s is not a regular file (%v)", ErrTreesDiffer, filepath.ToSlash(rel), root, d.Type())
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrTreesDiffer) {
			return nil, err
		}
		return nil, fmt.Errorf("interop: walk %s: %w", root, err)
	}
	sort.Strings(out)
	return out, nil
}

// compareFiles compares one relative path under both roots, naming the
// first differing byte offset.
func compareFiles(a, b, rel string) error {
	pa, pb := filepath.Join(a, filepath.FromSlash(rel)), filepath.Join(b, filepath.FromSlash(rel))
	ta, errA := os.Readlink(pa)
	tb, errB := os.Readlink(pb)
	switch {
	case errA == nil && errB == nil && ta == tb:
		return nil
	case errA == nil || errB == nil:
		return fmt.Errorf("%w: %q is a link to %q in %s, to %q in %s (%v, %v)", ErrTreesDiffer, rel, ta, a, tb, b, errA, errB)
	}
	fa, err := os.Open(pa)
	if err != nil {
		return fmt.Errorf("interop: compare: %w", err)
	}
	defer fa.Close()
	fb, err := os.Open(pb)
	if err != nil {
		return fmt.Errorf("interop: compare: %w", err)
	}
	defer fb.Close()
	sa, err := fa.Stat()
	if err != nil {
		return fmt.Errorf("interop: compare: %w", err)
	}
	sb, err := fb.Stat()
	if err != nil {
		return fmt.Errorf("interop: compare: %w", err)
	}
	if sa.Size() != sb.Size() {
		return fmt.Errorf("%w: %q is %d bytes in %s but %d bytes in %s", ErrTreesDiffer, rel, sa.Size(), a, sb.Size(), b)
	}
	ra, rb := bufio.NewReaderSize(fa, 64<<10), bufio.NewReaderSize(fb, 64<<10)
	bufA, bufB := make([]byte, 32<<10), make([]byte, 32<<10)
	var off int64
	for {
		na, errA := io.ReadFull(ra, bufA)
		nb, errB := io.ReadFull(rb, bufB)
		if na != nb {
			// Sizes matched at Stat time; the file changed under us.
			return fmt.Errorf("%w: %q changed while comparing near offset %d", ErrTreesDiffer, rel, off+int64(min(na, nb)))
		}
		if !bytes.Equal(bufA[:na], bufB[:nb]) {
			k := 0
			for bufA[k] == bufB[k] {
				k++
			}
			return fmt.Errorf("%w: %q differs at byte offset %d (%#02x in %s, %#02x in %s)",
				ErrTreesDiffer, rel, off+int64(k), bufA[k], a, bufB[k], b)
		}
		off += int64(na)
		if errA != nil || errB != nil {
			if (errA == io.EOF || errA == io.ErrUnexpectedEOF) && (errB == io.EOF || errB == io.ErrUnexpectedEOF) {
				return nil
			}
			if errA != nil && errA != io.EOF && errA != io.ErrUnexpectedEOF {
				return fmt.Errorf("interop: compare %s: %w", pa, errA)
			}
			if errB != nil && errB != io.EOF && errB != io.ErrUnexpectedEOF {
				return fmt.Errorf("interop: compare %s: %w", pb, errB)
			}
			return fmt.Errorf("%w: %q changed while comparing near offset %d", ErrTreesDiffer, rel, off)
		}
	}
}
