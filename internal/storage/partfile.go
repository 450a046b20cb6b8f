package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// A part file keeps the bytes that fall in files the torrent does not
// create (priority 0) of pieces it downloads anyway because they overlap
// wanted files — libtorrent's .parts file. Each such piece gets a slot of
// one piece length; the header maps pieces to slots so the part file
// survives restarts:
//
//	"ARPARTS1" | piece length u64 | pieces u32 | slot+1 u32 per piece (0: none)
//
// then the slots, from the first 16 KiB boundary after the header.
type partFile struct {
	mu       sync.Mutex
	path     string
	pieceLen int64
	slots    []uint32 // per piece: slot+1, 0 for none
	used     []bool   // per slot
	f        *os.File
	loaded   bool
}

const partMagic = "ARPARTS1"

var errPartFileCorrupt = errors.New("storage: part file header is corrupt")

func newPartFile(path string, pieceLen int64, numPieces int) *partFile {
	return &partFile{path: path, pieceLen: pieceLen, slots: make([]uint32, numPieces)}
}

func (pf *partFile) headerSize() int64 { return int64(len(partMagic)) + 8 + 4 + 4*int64(len(pf.slots)) }

func (pf *partFile) dataStart() int64 { return (pf.headerSize() + 16383) &^ 16383 }

// load reads the header of an existing part file, once.
func (pf *partFile) load() error {
	if pf.loaded {
		return nil
	}
	f, err := os.OpenFile(pf.path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		pf.loaded = true
		return nil
	}
	if err != nil {
		return err
	}
	hdr := make([]byte, pf.headerSize())
	if _, err := io.ReadFull(f, hdr); err != nil {
		f.Close()
		return fmt.Errorf("%w: %v", errPartFileCorrupt, err)
	}
	if string(hdr[:8]) != partMagic || int64(binary.BigEndian.Uint64(hdr[8:])) != pf.pieceLen ||
		int(binary.BigEndian.Uint32(hdr[16:])) != len(pf.slots) {
		f.Close()
		return errPartFileCorrupt
	}
	used := map[uint32]bool{}
	for i := range pf.slots {
		s := binary.BigEndian.Uint32(hdr[20+4*i:])
		if s > uint32(len(pf.slots)) || (s != 0 && used[s]) {
			f.Close()
			return errPartFileCorrupt
		}
		pf.slots[i] = s
		if s != 0 {
			used[s] = true
		}
	}
	pf.used = make([]bool, len(pf.slots))
	for s := range used {
		pf.used[s-1] = true
	}
	pf.f, pf.loaded = f, true
	return nil
}

// slot returns piece's slot, allocating one (and the file) when create.
func (pf *partFile) slot(piece int, create bool) (int64, bool, error) {
	if err := pf.load(); err != nil {
		return 0, false, err
	}
	if s := pf.slots[piece]; s != 0 {
		return int64(s - 1), true, nil
	}
	if !create {
		return 0, false, nil
	}
	if pf.f == nil {
		f, err := os.OpenFile(pf.path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return 0, false, err
		}
		pf.f = f
		pf.used = make([]bool, len(pf.slots))
	}
	s := 0
	for s < len(pf.used) && pf.used[s] {
		s++
	}
	pf.used[s] = true
	pf.slots[piece] = uint32(s + 1)
	if err := pf.writeHeader(); err != nil {
		return 0, false, err
	}
	return int64(s), true, nil
}

func (pf *partFile) writeHeader() error {
	hdr := make([]byte, pf.headerSize())
	copy(hdr, partMagic)
	binary.BigEndian.PutUint64(hdr[8:], uint64(pf.pieceLen))
	binary.BigEndian.PutUint32(hdr[16:], uint32(len(pf.slots)))
	for i, s := range pf.slots {
		binary.BigEndian.PutUint32(hdr[20+4*i:], s)
	}
	_, err := pf.f.WriteAt(hdr, 0)
	return err
}

// writeAt writes p at offset off within piece.
func (pf *partFile) writeAt(piece int, off int64, p []byte) error {
	pf.mu.Lock()
	defer pf.mu.Unlock()
	s, _, err := pf.slot(piece, true)
	if err != nil {
		return err
	}
	_, err = pf.f.WriteAt(p, pf.dataStart()+s*pf.pieceLen+off)
	return err
}

// readAt reads p at offset off within piece; ok is false when the part
// file holds nothing of that piece.
func (pf *partFile) readAt(piece int, off int64, p []byte) (ok bool, err error) {
	pf.mu.Lock()
	defer pf.mu.Unlock()
	s, ok, err := pf.slot(piece, false)
	if err != nil || !ok {
		return false, err
	}
	n, err := pf.f.ReadAt(p, pf.dataStart()+s*pf.pieceLen+off)
	if err == io.EOF && n < len(p) {
		clear(p[n:]) // a slot whose tail was never written
		err = nil
	}
	return true, err
}

// free drops piece's slot.
func (pf *partFile) free(piece int) error {
	pf.mu.Lock()
	defer pf.mu.Unlock()
	if err := pf.load(); err != nil {
		return err
	}
	s := pf.slots[piece]
	if s == 0 {
		return nil
	}
	pf.slots[piece] = 0
	pf.used[s-1] = false
	return pf.writeHeader()
}

// empty reports whether no piece has a slot.
func (pf *partFile) empty() bool {
	for _, s := range pf.slots {
		if s != 0 {
			return false
		}
	}
	return true
}

// close closes the file (it reopens on the next access).
func (pf *partFile) close() error {
	pf.mu.Lock()
	defer pf.mu.Unlock()
	if pf.f == nil {
		pf.loaded = false
		return nil
	}
	err := pf.f.Close()
	pf.f, pf.loaded = nil, false
	return err
}

// remove closes and deletes the file.
func (pf *partFile) remove() error {
	err := pf.close()
	if rerr := os.Remove(pf.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = errors.Join(err, rerr)
	}
	for i := range pf.slots {
		pf.slots[i] = 0
	}
	return err
}
