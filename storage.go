package actorrent

import (
	"fmt"
	"time"

	"github.com/actorrent/actorrent/internal/storage"
)

// Storage is where a torrent's data lives (libtorrent's
// storage_interface). Offsets are in the torrent's byte stream: its files
// concatenated in order, pad files included. The engine calls ReadAt and
// WriteAt from several goroutines at once, but never while Move,
// RenameFile, ReleaseFiles or DeleteFiles runs. A piece is reported had
// only after WriteAt returned without error.
type Storage interface {
	ReadAt(p []byte, off int64) (int, error)
	WriteAt(p []byte, off int64) (int, error)
	// FileSizes are each file's size (-1 when missing) and modification
	// time: resume data records them, and a file that changed since gets
	// its pieces hashed again.
	FileSizes() ([]int64, []time.Time)
	// CreateEmptyFiles creates the zero-length files (no write creates
	// them); called once every piece is had.
	CreateEmptyFiles() error
	// Flush makes written data durable (fsync).
	Flush() error
	// ReleaseFiles closes open files; they may be opened again later.
	ReleaseFiles() error
	// Close releases everything; no call but DeleteFiles follows.
	Close() error
	// DeleteFiles removes the torrent's data (RemoveTorrent with
	// DeleteFiles).
	DeleteFiles() error
	// Move moves the data under a new save path (MoveStorage).
	Move(newSavePath string, flags MoveFlags) error
	// RenameFile gives file index a new path (RenameFile).
	RenameFile(index int, newPath string) error
	// SavePath is the save path in force.
	SavePath() string
}

// StorageParams describe the storage a StorageConstructor makes.
type StorageParams struct {
	SavePath string
	// Files are the torrent's files in order; Path is relative to
	// SavePath (already sanitised), PadFile marks BEP 47 padding, and
	// Executable and SymlinkPath say how to create the file.
	Files []FileEntry
	Mode  StorageMode
}

// StorageConstructor makes a torrent's storage (AddTorrentParams); it runs
// on the disk actor and must not block.
type StorageConstructor func(StorageParams) (Storage, error)

// DefaultStorage is the engine's own file storage (what a nil
// StorageConstructor means), for constructors that wrap it.
func DefaultStorage(p StorageParams) (Storage, error) {
	files := make([]storage.FileSpec, len(p.Files))
	for i, f := range p.Files {
		files[i] = storage.FileSpec{Path: f.Path, Length: f.Size, Pad: f.PadFile, Executable: f.Executable, Symlink: f.SymlinkPath}
	}
	return storage.New(p.SavePath, files, storage.Options{
		Sparse: true, Allocate: p.Mode == StorageModeAllocate,
	}), nil
}

// internalConstructor adapts a user's constructor to the disk actor's.
func internalConstructor(c StorageConstructor, mode StorageMode) storage.Constructor {
	if c == nil {
		return nil
	}
	return func(savePath string, files []storage.FileSpec, _ storage.Options) (storage.Interface, error) {
		entries := make([]FileEntry, len(files))
		for i, f := range files {
			entries[i] = FileEntry{Path: f.Path, Size: f.Length, PadFile: f.Pad, Executable: f.Executable, SymlinkPath: f.Symlink}
		}
		st, err := c(StorageParams{SavePath: savePath, Files: entries, Mode: mode})
		if err != nil {
			return nil, err
		}
		if st == nil {
			return nil, fmt.Errorf("%w: the storage constructor returned nil", ErrInvalidParams)
		}
		if own, ok := st.(storage.Interface); ok {
			return own, nil // DefaultStorage, or a wrapper keeping its fast paths
		}
		return &userStorage{Storage: st, files: files}, nil
	}
}

// userStorage gives a user's Storage the disk actor's extra methods, made
// of its basic ones.
type userStorage struct {
	Storage
	files []storage.FileSpec
}

func (u *userStorage) WriteBlocksAt(blocks [][]byte, off int64) (int, error) {
	n := 0
	for _, b := range blocks {
		m, err := u.WriteAt(b, off+int64(n))
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// SetFilePriorities passes priorities on to a storage that wants them
// (an optional method: SetFilePriorities([]int) error); others create
// every file they are written to.
func (u *userStorage) SetFilePriorities(prios []int) error {
	if p, ok := u.Storage.(interface{ SetFilePriorities([]int) error }); ok {
		return p.SetFilePriorities(prios)
	}
	return nil
}

func (u *userStorage) ReadAtAhead(p []byte, off, _ int64) (int, bool, error) {
	n, err := u.ReadAt(p, off)
	return n, false, err
}

func (u *userStorage) FileExtent(i int) (offset, length int64) {
	if i < 0 || i >= len(u.files) {
		return 0, 0
	}
	for _, f := range u.files[:i] {
		offset += f.Length
	}
	return offset, u.files[i].Length
}
