package storage

import "time"

// Interface is what the disk actor needs of one torrent's storage. The
// file Storage is the default; users plug in their own through the
// facade (libtorrent's storage constructor), and tests a faulty one.
// Offsets are in the torrent's byte stream (its files concatenated). The
// disk actor calls it from several workers at once, but never around a
// Move, RenameFile, ReleaseFiles or DeleteFiles (those run behind the
// torrent's fence).
type Interface interface {
	ReadAt(p []byte, off int64) (int, error)
	WriteAt(p []byte, off int64) (int, error)
	// WriteBlocksAt writes blocks back to back at off.
	WriteBlocksAt(blocks [][]byte, off int64) (int, error)
	// ReadAtAhead is ReadAt that may start reading ahead bytes beyond it
	// in the background (hinted says it did).
	ReadAtAhead(p []byte, off, ahead int64) (n int, hinted bool, err error)
	// FileExtent is where file i lies in the byte stream.
	FileExtent(i int) (offset, length int64)
	// FileSizes are each file's size on disk (-1 when missing) and
	// modification time, for resume data.
	FileSizes() ([]int64, []time.Time)
	CreateEmptyFiles() error
	Flush() error
	ReleaseFiles() error
	Close() error
	DeleteFiles() error
	Move(newSavePath string, flags MoveFlags) error
	RenameFile(i int, newPath string) error
	SavePath() string
	// SetFilePriorities tells the storage each file's priority: a file of
	// priority 0 is not created (the file Storage keeps the bytes pieces
	// shared with wanted files carry in its part file).
	SetFilePriorities(prios []int) error
}

var _ Interface = (*Storage)(nil)

// Constructor makes the storage of one torrent.
type Constructor func(savePath string, files []FileSpec, opts Options) (Interface, error)

// NewFiles is the default Constructor: files under savePath.
func NewFiles(savePath string, files []FileSpec, opts Options) (Interface, error) {
	return New(savePath, files, opts), nil
}
