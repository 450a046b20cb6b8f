package diskactor

import (
	"crypto/sha1"
	"errors"
	"hash"
	"io"
	"io/fs"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// worker runs one job at a time. Blocking file I/O and hashing happen here,
// never in the disk actor's Receive.
type worker struct {
	beforeJob func(any)
	// scratch and hash are reused by every check job (check_read.go).
	scratch []byte
	hash    hash.Hash
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
	switch j := j.(type) {
	case *hashWriteJob:
		w.hashWrite(j, done)
	case *flushJob:
		w.flush(j, done)
	case *readJob:
		w.read(ctx, j, done)
	case *checkJob:
		w.check(j, done)
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
	}
	fillFileError(done)
	ctx.Send(ctx.Parent(), done)
}

func (w *worker) hashWrite(j *hashWriteJob, done *jobDone) {
	h := sha1.New()
	off := j.offset
	for i, b := range j.blocks {
		if b == nil {
			// Written by a partial flush: read it back to hash it.
			n := blockLen(j, i)
			buf := bufpool.Get(n)
			_, err := j.store.ReadAt(buf, off)
			if err != nil {
				bufpool.Put(buf)
				done.err, done.op = err, "read"
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
	if sum != j.expected {
		return
	}
	// Each run of blocks still in memory goes out in one vectored write.
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
		if _, err := j.store.WriteBlocksAt(j.blocks[i:end], off); err != nil {
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

func (w *worker) flush(j *flushJob, done *jobDone) {
	for k, b := range j.blocks {
		off := j.offset + int64(j.index[k])*bufpool.BlockSize
		if _, err := j.store.WriteAt(b, off); err != nil {
			done.err, done.op = err, "write"
			return
		}
	}
	done.ok = true
}

func (w *worker) read(ctx actor.Context, j *readJob, done *jobDone) {
	buf := bufpool.Get(j.req.Length)
	_, err := j.store.ReadAt(buf, j.offset)
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
