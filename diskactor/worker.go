package diskactor

import (
	"crypto/sha1"
	"errors"
	"hash"
	"io"
	"io/fs"
	"sync/atomic"
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/hashing"
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// worker runs one job at a time. Blocking file I/O and hashing happen here,
// never in the disk actor's Receive.
type worker struct {
	beforeJob func(any)
	sup       *supervisor.Supervision
	// writing counts the workers inside a write call right now
	// (num_writing_threads); shared by the pool.
	writing *atomic.Int32
	// scratch, hash and pair are reused by every check job
	// (check_read.go, check_pair.go).
	scratch []byte
	hash    hash.Hash
	pair    *hashing.Pair
}

func (w *worker) Receive(ctx actor.Context) {
	j, ok := ctx.Message().(job)
	if !ok {
		return
	}
	if w.beforeJob != nil {
		w.beforeJob(j)
	}
	done := &jobDone{worker: ctx.Self(), job: j}
	if f, ok := w.sup.Inject(supervisor.KindDiskWorker, supervisor.SiteJob, j.FaultName()); ok {
		w.failInjected(ctx, j, f, done)
		return
	}
	start := time.Now()
	switch j := j.(type) {
	case *hashWriteJob:
		w.hashWrite(j, done)
	case *hashJob:
		w.hashBlocks(j, done)
	case *flushJob:
		w.flush(j, done)
	case *readJob:
		w.read(ctx, j, done)
	case *checkJob:
		w.check(j, done)
		done.timing.hash = time.Since(start) // reading included, as libtorrent
	case *verifyJob:
		w.check(&j.checkJob, done)
		done.timing.hash = time.Since(start)
	case *closeJob:
		done.op = "remove"
		if j.delete {
			done.err = j.store.DeleteFiles()
		} else {
			done.err = j.store.Close()
		}
	case *emptyFilesJob:
		done.op = "create"
		done.err = j.store.CreateEmptyFiles()
	case *statJob:
		j.run()
	case *moveJob:
		done.op = "move"
		done.err = j.store.Move(j.path, storage.MoveFlags(j.flags))
	case *renameJob:
		done.op = "rename"
		done.err = j.store.RenameFile(j.index, j.name)
	case *releaseJob:
		done.op = "release"
		done.err = j.store.ReleaseFiles()
	case *syncJob:
		done.op = "sync"
		done.err = j.store.Flush()
	case *priorityJob:
		done.op = "priority"
		done.err = j.store.SetFilePriorities(j.prios)
	}
	done.timing.total = time.Since(start)
	fillFileError(done)
	ctx.Send(ctx.Parent(), done)
}

// hashWrite finishes a complete piece's hash from its cursor (reading
// back the blocks that were written out before the hash got to them) and,
// if it matches, writes the blocks still in memory.
func (w *worker) hashWrite(j *hashWriteJob, done *jobDone) {
	h, from := j.h, j.hashed
	if h == nil {
		h, from = sha1.New(), 0
	}
	t0 := time.Now()
	off := j.offset + int64(from)*bufpool.BlockSize
	for i := from; i < len(j.blocks); i++ {
		b := j.blocks[i]
		if b == nil {
			// Written by a partial flush: read it back to hash it.
			n := blockLen(j, i)
			buf := bufpool.Get(n)
			_, err := j.store.ReadAt(buf, off)
			if err != nil {
				bufpool.Put(buf)
				done.err, done.op = err, "read"
				done.timing.hash = time.Since(t0)
				return
			}
			h.Write(buf)
			bufpool.Put(buf)
			done.readBack++
			off += int64(n)
			continue
		}
		h.Write(b)
		off += int64(len(b))
	}
	var sum [sha1.Size]byte
	h.Sum(sum[:0])
	done.timing.hash = time.Since(t0)
	if sum != j.expected {
		return
	}
	// Each run of blocks still in memory goes out in one vectored write.
	t0 = time.Now()
	defer func() { done.timing.write = time.Since(t0) }()
	off = j.offset
	for i := 0; i < len(j.blocks); {
		if j.blocks[i] == nil {
			off += int64(blockLen(j, i))
			i++
			continue
		}
		end := i
		var n int64
		for end < len(j.blocks) && j.blocks[end] != nil {
			n += int64(len(j.blocks[end]))
			end++
		}
		if _, err := w.writeBlocks(j.store, j.blocks[i:end], off); err != nil {
			done.err, done.op = err, "write"
			return
		}
		off += n
		i = end
	}
	done.ok = true
}

// blockLen is the length of block i of a hashWriteJob whose block i is nil.
func blockLen(j *hashWriteJob, i int) int {
	return int(min(int64(bufpool.BlockSize), j.length-int64(i)*bufpool.BlockSize))
}

// flush writes some blocks of an incomplete piece, first advancing the
// piece's hash over those right after its cursor.
func (w *worker) flush(j *flushJob, done *jobDone) {
	if j.h != nil {
		t0 := time.Now()
		for k, i := range j.index {
			if i >= j.hashFrom && i < j.hashFrom+j.hashCount {
				j.h.Write(j.blocks[k])
			}
		}
		done.timing.hash = time.Since(t0)
	}
	t0 := time.Now()
	defer func() { done.timing.write = time.Since(t0) }()
	for k := range j.blocks {
		off := j.offset + int64(j.index[k])*bufpool.BlockSize
		if _, err := w.writeBlocks(j.store, j.blocks[k:k+1], off); err != nil {
			done.err, done.op = err, "write"
			return
		}
	}
	done.ok = true
}

// read serves a peer's request. A plain read (count 0) reads just the
// requested range. A read-cache miss reads whole blocks from the one
// holding the request on (read-ahead): the peer gets a copy of its range
// as soon as that first block is in, and the blocks go back to the disk
// actor for the read cache. A failed read-ahead block ends the read-ahead
// quietly; only a failure of the requested block is the job's error.
func (w *worker) read(ctx actor.Context, j *readJob, done *jobDone) {
	if j.count == 0 {
		buf := bufpool.Get(j.req.Length)
		t0 := time.Now()
		_, err := j.store.ReadAt(buf, j.offset)
		done.timing.read = time.Since(t0)
		w.reply(ctx, j, buf, err, done)
		return
	}
	t0 := time.Now()
	defer func() { done.timing.read = time.Since(t0) }()
	for i := range j.count {
		bi := j.first + i
		start := int64(bi) * bufpool.BlockSize
		buf := bufpool.Get(int(min(bufpool.BlockSize, j.pieceSize-start)))
		if _, err := j.store.ReadAt(buf, j.pieceOffset+start); err != nil {
			bufpool.Put(buf)
			if i == 0 {
				w.reply(ctx, j, nil, err, done)
			}
			return
		}
		if i == 0 {
			out := bufpool.Get(j.req.Length)
			copy(out, buf[int64(j.req.Begin)-start:])
			w.reply(ctx, j, out, nil, done)
		}
		done.blocks = append(done.blocks, buf)
	}
}

// reply sends the peer its block (or the read's error).
func (w *worker) reply(ctx actor.Context, j *readJob, buf []byte, err error, done *jobDone) {
	reply := &messages.DiskReadReply{Piece: j.req.Piece, Begin: j.req.Begin, Data: buf}
	if err != nil {
		bufpool.Put(buf)
		reply.Data = nil
		reply.Err = err
		done.err, done.op = err, "read"
		fillFileError(done)
		reply.Path = done.path
	}
	ctx.Send(j.req.ReplyTo, reply)
	done.ok = err == nil
}

// writeBlocks is the one place workers write, so num_writing_threads
// counts exactly the workers inside a write.
func (w *worker) writeBlocks(st storage.Interface, blocks [][]byte, off int64) (int, error) {
	if w.writing != nil {
		w.writing.Add(1)
		defer w.writing.Add(-1)
	}
	if len(blocks) == 1 {
		return st.WriteAt(blocks[0], off)
	}
	return st.WriteBlocksAt(blocks, off)
}

// isMissing reports errors that mean "the data is not there (yet)".
func isMissing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// fillFileError copies the failing file's path out of a storage error.
func fillFileError(done *jobDone) {
	var fe *storage.FileError
	if errors.As(done.err, &fe) {
		done.path = fe.Path
		if fe.Op != "" {
			done.op = fe.Op
		}
	}
}

// failInjected ends a job with an injected disk error, as if the file
// system had returned it: nothing is read or written, and the job's result
// carries the errno (as a storage error of the job's operation), so the
// disk and the torrent take the paths a real error takes.
func (w *worker) failInjected(ctx actor.Context, j job, f supervisor.Fault, done *jobDone) {
	done.op = j.FaultName()
	done.err = &storage.FileError{FileIndex: -1, Op: done.op, Err: f.Errno}
	ctx.Send(ctx.Parent(), done)
}
