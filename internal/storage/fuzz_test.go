package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// FuzzReadWriteAt drives WriteAt/ReadAt with fuzzer-chosen offsets and
// lengths (in the engine they come from peers' REQUEST and PIECE
// messages) and compares against an in-memory model of the byte stream.
// Out-of-range requests must fail with ErrOutOfRange and change nothing.
func FuzzReadWriteAt(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 42, 0, 0, 0, 10, 5, 1, 0, 0, 0, 20, 0})
	f.Add([]byte{1, 9, 0, 0, 0, 0, 0, 0, 0, 40, 1, 255, 255, 255, 255, 255})
	f.Add([]byte{0, 11, 0, 0, 0, 4, 0, 0, 1, 14, 0, 0, 0, 3, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		files := testFiles()
		s := New(t.TempDir(), files, Options{MaxOpenFiles: 2, Sparse: true})
		defer s.Close()
		total := s.TotalLength()
		// Create every file so reads of untouched ranges see zeros.
		if _, err := s.WriteAt(make([]byte, total), 0); err != nil {
			t.Fatal(err)
		}
		mem := make([]byte, total)
		for len(data) >= 6 {
			write := data[0]&1 == 1
			off := int64(int32(binary.LittleEndian.Uint32(data[1:5])))
			n := int(data[5])
			data = data[6:]
			buf := bytes.Repeat([]byte{byte(off) | 1}, n)
			var got int
			var err error
			if write {
				got, err = s.WriteAt(buf, off)
			} else {
				got, err = s.ReadAt(buf, off)
			}
			inRange := off >= 0 && off+int64(n) <= total
			if !inRange {
				if !errors.Is(err, ErrOutOfRange) || got != 0 {
					t.Fatalf("off %d n %d: got %d, %v", off, n, got, err)
				}
				continue
			}
			if err != nil || got != n {
				t.Fatalf("off %d n %d: got %d, %v", off, n, got, err)
			}
			if write {
				copy(mem[off:], buf)
			} else if want := model(files, mem)[off : off+int64(n)]; !bytes.Equal(buf, want) {
				t.Fatalf("read %d@%d = %x want %x", n, off, buf, want)
			}
		}
	})
}
