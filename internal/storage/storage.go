// Package storage maps a torrent's byte stream (its files concatenated) onto
// the files under a save path. It is the engine's disk I/O primitive: a
// Storage is safe for concurrent use by several disk worker goroutines and
// keeps a bounded, LRU-managed pool of open file handles.
package storage

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"sync/atomic"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrClosed is returned by every call made after Close.
	ErrClosed = errors.New("storage: closed")
	// ErrOutOfRange means the request lies (partly) outside the torrent.
	ErrOutOfRange = errors.New("storage: offset out of range")
)

// FileSpec describes one file of the torrent.
type FileSpec struct {
	// Path is relative to the save path, already sanitised, with OS
	// separators.
	Path   string
	Length int64
	// Pad marks a BEP 47 padding file: never created, reads as zeros,
	// writes to it are dropped.
	Pad bool
	// Executable (BEP 47 'x'): the file is created with the executable
	// bits, as libtorrent does (a file already there is left as it is).
	Executable bool
	// Symlink, when not empty, makes the file (of Length 0) a symbolic
	// link to this path, relative to the save path like Path and inside
	// it; CreateEmptyFiles creates it, pointing relative to its own
	// directory, as libtorrent does on POSIX.
	Symlink string
}

// Options tunes a Storage. The zero Options means DefaultOptions().
type Options struct {
	// MaxOpenFiles bounds the pool of open handles (default 32); the least
	// recently used idle handle is closed first.
	MaxOpenFiles int
	// FileBudget, when set, also bounds this Storage's open files
	// together with those of the other Storages sharing it (a session's
	// file_pool_size).
	FileBudget *FileBudget
	// Allocate makes newly created files take their full size on disk at
	// once (fallocate; truncate where the file system cannot), which
	// makes writes several times cheaper on ext4 than filling holes and
	// turns a full disk into an error at the first write. It wins over
	// Sparse.
	Allocate bool
	// Sparse makes newly created files get their full size at once
	// (truncate), which is cheap on sparse file systems (default true).
	Sparse bool
	// PartFile, with PieceLength, is the part file's name in the save
	// path: where bytes of files of priority 0 go (see SetFilePriorities).
	// Without it priority 0 is refused.
	PartFile    string
	PieceLength int64
	// FilePriorities are the files' priorities at the start (nil: all 1).
	FilePriorities []int
}

// DefaultMaxOpenFiles is the handle pool size used when
// Options.MaxOpenFiles <= 0.
const DefaultMaxOpenFiles = 32

// DefaultOptions returns the defaults: 32 open files, sparse creation.
func DefaultOptions() Options { return Options{MaxOpenFiles: DefaultMaxOpenFiles, Sparse: true} }

// FileError says which file and operation failed. Op is one of "open",
// "create", "truncate", "read", "write", "remove", "sync", "close" or
// "symlink".
type FileError struct {
	FileIndex int
	Path      string // absolute
	Op        string
	Err       error
}

// Error implements error.
func (e *FileError) Error() string {
	return fmt.Sprintf("storage: %s file %d %q: %v", e.Op, e.FileIndex, e.Path, e.Err)
}

// Unwrap returns the underlying error (e.g. an *fs.PathError, so that
// errors.Is(err, fs.ErrNotExist) works).
func (e *FileError) Unwrap() error { return e.Err }

// file is a FileSpec placed in the torrent's byte stream.
type file struct {
	FileSpec
	offset int64
	abs    string
	// parked: priority 0, the file is not created; its bytes go to the
	// part file.
	parked bool
}

// Storage is the set of files of one torrent.
type Storage struct {
	savePath string
	files    []file
	total    int64
	opts     Options
	pool     pool
	part     *partFile // nil without Options.PartFile
	// noWait is set once a cache-only read (ReadAtAhead's probe) turned
	// out unsupported: no more probes.
	noWait atomic.Bool
}

// New returns a Storage for files under savePath. It does not touch the
// disk; files are created by the first write to them. A zero Options means
// DefaultOptions(); a MaxOpenFiles <= 0 means the default.
func New(savePath string, files []FileSpec, opts Options) *Storage {
	if opts.MaxOpenFiles == 0 && !opts.Allocate && !opts.Sparse && opts.PartFile == "" && opts.FilePriorities == nil {
		opts.Sparse = true // the zero Options: the defaults
	}
	if opts.MaxOpenFiles <= 0 {
		opts.MaxOpenFiles = DefaultMaxOpenFiles
	}
	if abs, err := filepath.Abs(savePath); err == nil {
		savePath = abs
	}
	s := &Storage{savePath: savePath, opts: opts, files: make([]file, len(files))}
	for i, f := range files {
		if f.Length < 0 {
			f.Length = 0
		}
		s.files[i] = file{FileSpec: f, offset: s.total, abs: filepath.Join(savePath, f.Path)}
		s.total += f.Length
	}
	s.pool.init(len(files), opts.MaxOpenFiles)
	s.pool.owner, s.pool.budget = s, opts.FileBudget
	if opts.PartFile != "" && opts.PieceLength > 0 {
		n := int((s.total + opts.PieceLength - 1) / opts.PieceLength)
		s.part = newPartFile(filepath.Join(savePath, opts.PartFile), opts.PieceLength, n)
	}
	for i, p := range opts.FilePriorities {
		if i < len(s.files) && p == 0 && !s.files[i].Pad && s.part != nil {
			s.files[i].parked = true
		}
	}
	return s
}

// TotalLength returns the sum of the file lengths.
func (s *Storage) TotalLength() int64 { return s.total }

// FilePath returns the absolute path of file i ("" if out of range).
func (s *Storage) FilePath(i int) string {
	if i < 0 || i >= len(s.files) {
		return ""
	}
	return s.files[i].abs
}

// NumFiles returns the number of files.
func (s *Storage) NumFiles() int { return len(s.files) }

// FileExtent returns where file i lies in the torrent's byte stream (0, 0
// if out of range). A reader that met a missing or short file uses it to
// skip the rest of that file.
func (s *Storage) FileExtent(i int) (offset, length int64) {
	if i < 0 || i >= len(s.files) {
		return 0, 0
	}
	return s.files[i].offset, s.files[i].Length
}

// firstFile returns the index of the first file whose extent ends after
// off (zero-length files never contain a byte and are skipped by callers).
func (s *Storage) firstFile(off int64) int {
	return sort.Search(len(s.files), func(i int) bool {
		return s.files[i].offset+s.files[i].Length > off
	})
}

func (s *Storage) fileErr(i int, op string, err error) error {
	return &FileError{FileIndex: i, Path: s.files[i].abs, Op: op, Err: err}
}
