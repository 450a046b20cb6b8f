package metainfo

import (
	"crypto/sha1"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"single.torrent", "multi.torrent", "small.torrent"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("d4:infod5:filesld6:lengthi1e4:pathl2:..2:..6:passwdeee4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"))
	f.Add([]byte("d4:infod6:lengthi1e4:name2:..12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"))
	f.Add([]byte("d4:infod5:filesld4:attr1:p6:lengthi1eed6:lengthi1e4:pathl1:aeee4:name1:x12:piece lengthi1e6:pieces40:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaee"))
	f.Add([]byte("d4:infod6:lengthi9223372036854775807e4:name1:x12:piece lengthi1e6:pieces0:ee"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidTorrent) {
				t.Fatalf("error does not wrap ErrInvalidTorrent: %v", err)
			}
			return
		}
		checkInvariants(t, m)
		// A parsed torrent must survive Marshal -> Parse unchanged.
		out, err := m.Marshal()
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		back, err := Parse(out)
		if err != nil || back.InfoHash != m.InfoHash {
			t.Fatalf("re-parse: %v", err)
		}
	})
}

func checkInvariants(t *testing.T, m *MetaInfo) {
	t.Helper()
	info := &m.Info
	if m.InfoHash != sha1.Sum(m.InfoBytes) {
		t.Fatal("info-hash mismatch")
	}
	if info.PieceLength <= 0 || info.TotalLength <= 0 {
		t.Fatalf("piece length %d total %d", info.PieceLength, info.TotalLength)
	}
	pieces, _, _ := infoPiecesLen(m.InfoBytes)
	if info.NumPieces()*20 != pieces {
		t.Fatalf("NumPieces*20 = %d, pieces string %d", info.NumPieces()*20, pieces)
	}
	if int64(info.NumPieces()) != (info.TotalLength+info.PieceLength-1)/info.PieceLength {
		t.Fatal("piece count does not cover total length")
	}
	var sum int64
	for k, f := range info.Files {
		if f.Offset != sum || f.Length < 0 {
			t.Fatalf("file %d offset %d, want %d", k, f.Offset, sum)
		}
		sum += f.Length
		if !filepath.IsLocal(f.Path) || f.Path != filepath.Join(f.PathComponents...) {
			t.Fatalf("file %d path %q not local or inconsistent", k, f.Path)
		}
		// A symlink takes no bytes and points inside the torrent's root.
		if f.Symlink && (f.Length != 0 || !filepath.IsLocal(f.SymlinkPath)) {
			t.Fatalf("file %d symlink of %d bytes to %q", k, f.Length, f.SymlinkPath)
		}
		if !f.Symlink && f.SymlinkPath != "" {
			t.Fatalf("file %d is no symlink but has target %q", k, f.SymlinkPath)
		}
	}
	if sum != info.TotalLength {
		t.Fatalf("files sum %d, total %d", sum, info.TotalLength)
	}
	var covered int64
	for k := range info.NumPieces() {
		size := info.PieceSize(k)
		var n int64
		for _, s := range info.Slices(info.PieceOffset(k), size) {
			n += s.Length
		}
		if n != size {
			t.Fatalf("piece %d slices cover %d of %d", k, n, size)
		}
		covered += size
		if k > 64 {
			break // enough; huge torrents would make the fuzzer slow
		}
	}
	if info.NumPieces() <= 65 && covered != info.TotalLength {
		t.Fatalf("pieces cover %d of %d", covered, info.TotalLength)
	}
}

// infoPiecesLen returns the length of the "pieces" string of an info dict.
func infoPiecesLen(infoBytes []byte) (int, bool, error) {
	var buf [16]dictEntry
	d, ok, err := dictOf(infoBytes, buf[:0])
	if err != nil || !ok {
		return 0, ok, err
	}
	return len(stringOf(d.get("pieces"))), true, nil
}
