package storage

import (
	"fmt"
	"testing"
)

// BenchmarkWriteRead writes 1 MiB pieces in 16 KiB blocks (as peers
// deliver them) and reads each piece back whole (as the hasher does), over
// a torrent of 8 files of 3 MiB so pieces straddle file boundaries.
func BenchmarkWriteRead(b *testing.B) {
	const (
		piece = 1 << 20
		block = 16 << 10
		nfile = 8
		flen  = 3 << 20
	)
	var files []FileSpec
	for i := 0; i < nfile; i++ {
		files = append(files, FileSpec{Path: fmt.Sprintf("f%d", i), Length: flen})
	}
	s := New(b.TempDir(), files, Options{MaxOpenFiles: 4, Sparse: true})
	defer s.Close()
	buf := make([]byte, piece)
	for i := range buf {
		buf[i] = byte(i)
	}
	rd := make([]byte, piece)
	pieces := int(s.TotalLength() / piece)
	b.SetBytes(piece)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		off := int64(i%pieces) * piece
		for o := 0; o < piece; o += block {
			if _, err := s.WriteAt(buf[o:o+block], off+int64(o)); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := s.ReadAt(rd, off); err != nil {
			b.Fatal(err)
		}
	}
}
