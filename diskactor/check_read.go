package diskactor

import (
	"crypto/sha1"
	"errors"
	"hash"

	"github.com/actorrent/actorrent/internal/storage"
)

// checkReadSize is one read of a check: small enough that the buffer
// stays in the core's L2 between the copy out of the page cache and the
// hash (so SHA-1 reads it from L2, and the two workers' copies do not fight
// over memory bandwidth for write-allocates), large enough that the
// per-call cost of pread does not show. Measured on the bench machine
// (AMD EPYC, 512 KiB L2 per core, 2 cores, 1 GiB warm, demo check runs
// interleaved): 256 KiB 2.45 GiB/s, 512 KiB 2.48, 1 MiB 2.08; 128 KiB
// reads copy at 8.8 GiB/s against 10.5 for 256 KiB. Mapping the file
// instead (4 MiB windows, with or without MAP_POPULATE) was slower still
// on this VM: 1.9-2.3 GiB/s, the page faults cost more than the copy.
const checkReadSize = 256 << 10

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
