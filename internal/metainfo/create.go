package metainfo

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// CreateOptions configures Create.
type CreateOptions struct {
	// PieceLength in bytes; 0 picks one automatically like libtorrent: the
	// smallest power of two giving fewer than 1500 pieces, clamped to
	// 16 KiB..16 MiB.
	PieceLength int64
	// Trackers are tiers; the first tracker becomes "announce", and all of
	// them become "announce-list" if there is more than one.
	Trackers           [][]string
	Comment, CreatedBy string
	Private            bool
	CreationDate       int64 // Unix seconds; 0 = omit
	Workers            int   // hashing goroutines, 0 = runtime.NumCPU()
}

// ErrFileChanged reports a source file that changed size while Create was
// hashing it.
var ErrFileChanged = errors.New("metainfo: file changed during hashing")

// srcFile is one file found by Create.
type srcFile struct {
	abs  string   // path on disk
	rel  []string // components below the torrent root (empty for single-file)
	size int64
}

// Create builds a torrent from a file or a directory. A directory is walked
// recursively with files sorted by path, hidden and zero-length files
// included, symlinks not followed and directories without files omitted.
// The torrent name is the base name of path. Pieces are hashed on
// opts.Workers goroutines fed by large sequential reads.
func Create(path string, opts CreateOptions) (*MetaInfo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("metainfo: create: %w", err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("metainfo: create: %w", err)
	}
	name := filepath.Base(abs)
	var files []srcFile
	switch {
	case st.Mode().IsRegular():
		files = []srcFile{{abs: abs, size: st.Size()}}
	case st.IsDir():
		if files, err = walkFiles(abs); err != nil {
			return nil, fmt.Errorf("metainfo: create: %w", err)
		}
	default:
		return nil, fmt.Errorf("metainfo: create: %s is neither a file nor a directory", path)
	}
	if len(files) > MaxFiles {
		return nil, invalid("more than %d files", MaxFiles)
	}
	var total int64
	for _, f := range files {
		total += f.size
	}
	if total == 0 {
		return nil, invalid("torrent has no data (total length 0)")
	}
	if total >= MaxTotalLength {
		return nil, invalid("total length %d too large", total)
	}
	pl := opts.PieceLength
	if pl == 0 {
		pl = autoPieceLength(total)
	}
	if pl < 0 || pl > MaxPieceLength {
		return nil, invalid("piece length %d out of range (1..%d)", pl, MaxPieceLength)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	pieces, err := hashPieces(files, total, pl, workers)
	if err != nil {
		return nil, fmt.Errorf("metainfo: create: %w", err)
	}

	info := map[string]any{"name": name, "piece length": pl, "pieces": pieces}
	if opts.Private {
		info["private"] = 1
	}
	if st.IsDir() {
		list := make([]map[string]any, len(files))
		for k, f := range files {
			list[k] = map[string]any{"length": f.size, "path": f.rel}
		}
		info["files"] = list
	} else {
		info["length"] = total
	}
	infoBytes, err := bencodex.Marshal(info)
	if err != nil {
		return nil, fmt.Errorf("metainfo: create: %w", err)
	}
	parsed, err := ParseInfo(infoBytes)
	if err != nil {
		return nil, err
	}
	m := &MetaInfo{
		Info:         *parsed,
		InfoHash:     sha1.Sum(infoBytes),
		InfoBytes:    infoBytes,
		Comment:      opts.Comment,
		CreatedBy:    opts.CreatedBy,
		CreationDate: opts.CreationDate,
	}
	setTrackers(m, opts.Trackers)
	return m, nil
}

// walkFiles lists the regular files below root, sorted component-wise.
func walkFiles(root string) ([]srcFile, error) {
	var files []srcFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil // directories are implied by files; symlinks and devices are skipped
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		files = append(files, srcFile{abs: p, rel: strings.Split(rel, string(filepath.Separator)), size: fi.Size()})
		return nil
	})
	slices.SortFunc(files, func(a, b srcFile) int { return slices.Compare(a.rel, b.rel) })
	return files, err
}

// autoPieceLength picks the smallest power of two >= 16 KiB that gives fewer
// than 1500 pieces, capped at 16 MiB.
func autoPieceLength(total int64) int64 {
	pl := int64(16 << 10)
	for pl < 16<<20 && total/pl >= 1500 {
		pl *= 2
	}
	return pl
}

// setTrackers fills Announce and AnnounceList from tiers, skipping blanks.
func setTrackers(m *MetaInfo, tiers [][]string) {
	n := 0
	for _, tier := range tiers {
		var clean []string
		for _, tr := range tier {
			if tr = strings.TrimSpace(tr); tr != "" {
				clean = append(clean, tr)
			}
		}
		if len(clean) == 0 {
			continue
		}
		if m.Announce == "" {
			m.Announce = clean[0]
		}
		n += len(clean)
		m.AnnounceList = append(m.AnnounceList, clean)
	}
	if n <= 1 {
		m.AnnounceList = nil
	}
}
