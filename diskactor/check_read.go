package diskactor

import (
	"crypto/sha1"
	"errors"
	"hash"

	"github.com/actorrent/actorrent/internal/storage"
)

// checkReadSize is one read of a check. Measured on the 2-core machine of
// the bench (warm page cache, 1 GiB): 1 MiB reads beat both 256 KiB (the
// per-call cost of pread shows) and 4 MiB (the buffer no longer stays in
// the core's cache between the copy and the hash).
const checkReadSize = 1 << 20

// checkReadAhead is how far past a cold read the kernel is asked to read
// ahead: the rest of the chunk and the next few chunks, so that the device
// is busy while the workers hash.
const checkReadAhead = 4 * checkChunkBytes

// check hashes a run of consecutive pieces with large sequential reads
// that span piece and file boundaries. Missing and short files fail the
// pieces they hold without an error (that is what a check finds out);
// another read error of a file fails that file's pieces and is the job's
// error (the first one). j.ok[i] becomes true only when piece first+i
// matched its hash.
func (w *worker) check(j *checkJob, done *jobDone) {
	if cap(w.scratch) < checkReadSize {
		w.scratch = make([]byte, checkReadSize)
	}
	buf := w.scratch[:checkReadSize]
	if w.hash == nil {
		w.hash = sha1.New()
	}
	ph := pieceHasher{h: w.hash, expected: j.expected, ok: j.ok, pieceLen: j.pieceLen, size: j.size}
	ph.h.Reset()
	pos, end := j.offset, j.offset+j.size
	ahead := end - pos + checkReadAhead // until the first cold read hints
	for pos < end {
		n := min(int64(len(buf)), end-pos)
		got, hinted, err := j.store.ReadAtAhead(buf[:n], pos, ahead)
		if hinted {
			ahead = 0
		}
		ph.write(buf[:got])
		pos += int64(got)
		if err == nil {
			continue
		}
		var fe *storage.FileError
		if !errors.As(err, &fe) {
			done.err, done.op = err, "read" // not about one file: give up
			return
		}
		if !isMissing(err) && done.err == nil {
			done.err, done.op = err, "read"
		}
		// The rest of that file cannot be read: skip it, so that its
		// pieces fail and the pieces after it are still checked.
		fileOff, fileLen := j.store.FileExtent(fe.FileIndex)
		skipTo := min(fileOff+fileLen, end)
		if skipTo <= pos {
			skipTo = end // cannot happen; never loop on it
		}
		ph.skip(skipTo - pos)
		pos = skipTo
	}
}

// pieceHasher hashes a run of consecutive pieces from a byte stream fed in
// order, with holes where the data is missing: a piece with a hole fails.
// All pieces are pieceLen long but the run's last, which ends at size.
type pieceHasher struct {
	h        hash.Hash
	expected [][sha1.Size]byte
	ok       []bool
	pieceLen int64
	size     int64 // bytes in the run
	pos      int64 // bytes fed or skipped so far
	cur      int   // piece being hashed
	bad      bool  // the current piece has a hole
}

// pieceEnd is where the current piece ends, relative to the run.
func (p *pieceHasher) pieceEnd() int64 {
	return min(int64(p.cur+1)*p.pieceLen, p.size)
}

// write feeds the next len(b) bytes of the run.
func (p *pieceHasher) write(b []byte) {
	for len(b) > 0 && p.pos < p.size {
		n := min(int64(len(b)), p.pieceEnd()-p.pos)
		if !p.bad {
			p.h.Write(b[:n])
		}
		b = b[n:]
		p.advance(n)
	}
}

// skip passes over the next n bytes of the run, which are not there.
func (p *pieceHasher) skip(n int64) {
	for n > 0 && p.pos < p.size {
		k := min(n, p.pieceEnd()-p.pos)
		p.bad = true
		n -= k
		p.advance(k)
	}
}

// advance moves n bytes on inside the current piece and finishes it when
// it is complete.
func (p *pieceHasher) advance(n int64) {
	p.pos += n
	if p.pos < p.pieceEnd() {
		return
	}
	if !p.bad {
		var sum [sha1.Size]byte
		p.h.Sum(sum[:0])
		p.ok[p.cur] = sum == p.expected[p.cur]
	}
	p.h.Reset()
	p.bad = false
	p.cur++
}
