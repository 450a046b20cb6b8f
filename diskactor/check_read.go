package diskactor

import (
	"crypto/sha1"
	"errors"
	"hash"

	"github.com/actorrent/actorrent/internal/hashing"
	"github.com/actorrent/actorrent/internal/storage"
)

// checkReadSize is one read of a check: small enough that what was read
// stays in the core's L2 between the copy out of the page cache and the
// hash (the two-at-a-time path keeps two such buffers), large enough that
// the per-call cost of pread does not show. Measured on the bench machine
// (AMD EPYC, 512 KiB L2 per core, 2 cores, 1 GiB warm, demo check runs
// interleaved): one stream 256 KiB 2.45 GiB/s, 512 KiB 2.48, 1 MiB 2.08;
// two at a time 256 KiB 4.2-4.3, 128 KiB 4.0. Mapping the file instead
// (4 MiB windows, with or without MAP_POPULATE) was slower than reading on
// this VM: the page faults cost more than the copy.
const checkReadSize = 256 << 10

// checkReadAhead is how far past a cold read the kernel is asked to read
// ahead: the rest of the chunk and the next few chunks, so that the device
// is busy while the workers hash.
const checkReadAhead = 4 * checkChunkBytes

// check hashes a run of consecutive pieces with large sequential reads
// that span piece and file boundaries. Where the CPU hashes two pieces at
// once (internal/hashing), whole pieces go through in pairs (check_pair.go);
// a pair that meets a read error, the odd piece and a short last piece take
// the single-stream path. Missing and short files fail the pieces they hold
// without an error (that is what a check finds out); another read error of
// a file fails that file's pieces and is the job's error (the first one).
// j.ok[i] becomes true only when piece first+i matched its hash.
func (w *worker) check(j *checkJob, done *jobDone) {
	if cap(w.scratch) < 2*checkReadSize {
		w.scratch = make([]byte, 2*checkReadSize)
	}
	r := &checkReader{store: j.store, end: j.offset + j.size}
	n, next := len(j.ok), 0
	if hashing.Accelerated() && j.pieceLen%hashing.BlockSize == 0 {
		if w.pair == nil {
			w.pair = hashing.NewPair()
		}
		whole := n
		if int64(n)*j.pieceLen > j.size {
			whole-- // the torrent's short last piece
		}
		for next+1 < whole {
			covered, ok := w.checkPairs(j, next, (whole-next)/2, r)
			if !ok {
				w.checkRun(j, done, next, next+covered, r)
			}
			next += covered
		}
	}
	if next < n {
		w.checkRun(j, done, next, n, r)
	}
}

// checkReader reads a check job's bytes, asking the kernel to read ahead
// to the end of the job (and a little past it) at the first cold read.
type checkReader struct {
	store  storage.Interface
	end    int64 // the job's end in the torrent
	hinted bool
}

func (r *checkReader) read(p []byte, off int64) (int, error) {
	var ahead int64
	if !r.hinted {
		ahead = r.end - off + checkReadAhead
	}
	n, hinted, err := r.store.ReadAtAhead(p, off, ahead)
	r.hinted = r.hinted || hinted
	return n, err
}

// checkRun hashes pieces [from, to) of the job as one byte stream.
func (w *worker) checkRun(j *checkJob, done *jobDone, from, to int, r *checkReader) {
	buf := w.scratch[:checkReadSize]
	if w.hash == nil {
		w.hash = sha1.New()
	}
	start := int64(from) * j.pieceLen
	size := min(int64(to)*j.pieceLen, j.size) - start
	ph := pieceHasher{h: w.hash, expected: j.expected[from:to], ok: j.ok[from:to], pieceLen: j.pieceLen, size: size}
	ph.h.Reset()
	pos, end := j.offset+start, j.offset+start+size
	for pos < end {
		n := min(int64(len(buf)), end-pos)
		got, err := r.read(buf[:n], pos)
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
