package actorrent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Reader streams one file of a torrent while it downloads: an
// io.ReadSeekCloser that is also an io.ReaderAt, so that
// http.ServeContent serves range requests from it. A read sets deadlines
// on the pieces ahead of it (the readahead window), waits until the piece
// it reads is verified, and reads it through the disk (the cache
// included). The context given to NewReader bounds every read: once it
// ends, reads fail with its error.
//
// Pieces of a file whose priority is 0 are never downloaded, so reading
// such a file waits until its context ends.
type Reader struct {
	h     TorrentHandle
	ctx   context.Context
	start int64 // the file's offset in the torrent
	size  int64
	piece int64 // piece length
	n     int   // pieces in the torrent

	mu        sync.Mutex
	pos       int64 // Read and Seek's position
	readahead int64
	marked    map[int]bool // pieces this reader set a deadline on
	closed    bool
}

// DefaultReadahead is the readahead window of a new Reader.
const DefaultReadahead = 4 << 20

// readChunk caps one disk read: a read of a 16 MiB piece's worth would
// hold that much in one message.
const readChunk = 256 << 10

// deadlineStep spaces the deadlines of the pieces ahead: the piece being
// read is due now, the next one step later, and so on.
const deadlineStep = 200 * time.Millisecond

// ErrReaderClosed is a read from a closed Reader.
var ErrReaderClosed = errors.New("actorrent: reader closed")

// NewReader returns a Reader of file fileIndex (in TorrentInfo.Files
// order). The torrent must have its metadata.
func (h TorrentHandle) NewReader(ctx context.Context, fileIndex int) (*Reader, error) {
	ti, err := h.TorrentFile(ctx)
	if err != nil {
		return nil, err
	}
	if ti == nil {
		return nil, ErrNoMetadata
	}
	files := ti.m.Info.Files
	if fileIndex < 0 || fileIndex >= len(files) {
		return nil, fmt.Errorf("%w: file %d of %d", ErrInvalidParams, fileIndex, len(files))
	}
	f := files[fileIndex]
	return &Reader{
		h: h, ctx: ctx, start: f.Offset, size: f.Length,
		piece: ti.m.Info.PieceLength, n: ti.m.Info.NumPieces(),
		readahead: DefaultReadahead, marked: make(map[int]bool),
	}, nil
}

// SetReadahead sets how many bytes ahead of a read get deadlines (at
// least the piece being read).
func (r *Reader) SetReadahead(n int64) {
	r.mu.Lock()
	r.readahead = max(n, 0)
	r.mu.Unlock()
}

// Size is the file's length.
func (r *Reader) Size() int64 { return r.size }

// Read reads from the position, waiting for the piece there.
func (r *Reader) Read(p []byte) (int, error) {
	r.mu.Lock()
	pos, closed := r.pos, r.closed
	r.mu.Unlock()
	if closed {
		return 0, ErrReaderClosed
	}
	if pos >= r.size {
		return 0, io.EOF
	}
	n, err := r.readSome(p, pos)
	r.mu.Lock()
	r.pos = pos + int64(n)
	r.mu.Unlock()
	return n, err
}

// ReadAt reads len(p) bytes at off (io.ReaderAt: fewer only at the end of
// the file, with io.EOF, or with the error that stopped it). Safe for
// concurrent use.
func (r *Reader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("actorrent: negative offset %d", off)
	}
	total := 0
	for total < len(p) {
		if off >= r.size {
			return total, io.EOF
		}
		n, err := r.readSome(p[total:], off)
		total += n
		off += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Seek sets the position (io.Seeker).
func (r *Reader) Seek(offset int64, whence int) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.pos
	case io.SeekEnd:
		offset += r.size
	default:
		return r.pos, fmt.Errorf("actorrent: bad whence %d", whence)
	}
	if offset < 0 {
		return r.pos, fmt.Errorf("actorrent: seek to negative position %d", offset)
	}
	r.pos = offset
	return offset, nil
}

// Close drops the deadlines the reader set; later reads fail.
func (r *Reader) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	marked := r.marked
	r.marked = nil
	r.mu.Unlock()
	// A closing reader must not hang on a session that is gone: its
	// own context may have ended already.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), 5*time.Second)
	defer cancel()
	for p := range marked {
		if err := r.h.ResetPieceDeadline(ctx, p); err != nil {
			return nil // the torrent or session is gone: nothing to drop
		}
	}
	return nil
}

// readSome reads at off from one piece, at most readChunk bytes.
func (r *Reader) readSome(p []byte, off int64) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	abs := r.start + off
	piece := int(abs / r.piece)
	begin := abs - int64(piece)*r.piece
	n := min(int64(len(p)), r.size-off, r.piece-begin, readChunk)
	if n <= 0 {
		return 0, io.EOF
	}
	if err := r.markAhead(piece, abs); err != nil {
		return 0, err
	}
	if err := r.h.waitPiece(r.ctx, piece); err != nil {
		return 0, err
	}
	if err := r.h.readData(r.ctx, piece, int(begin), p[:n]); err != nil {
		return 0, err
	}
	return int(n), nil
}

// markAhead sets deadlines on the pieces from piece through the
// readahead window (those not set already), soonest first.
func (r *Reader) markAhead(piece int, abs int64) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ErrReaderClosed
	}
	last := int(min(abs+r.readahead, r.start+r.size-1) / r.piece)
	last = min(max(last, piece), r.n-1)
	var due []int
	for p := piece; p <= last; p++ {
		if !r.marked[p] {
			r.marked[p] = true
			due = append(due, p)
		}
	}
	r.mu.Unlock()
	for _, p := range due {
		if err := r.h.SetPieceDeadline(r.ctx, p, time.Duration(p-piece)*deadlineStep, 0); err != nil {
			return err
		}
	}
	return nil
}
