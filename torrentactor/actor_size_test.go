package torrentactor

import (
	"testing"
	"unsafe"
)

// The torrent actor fits the 1024-byte size class: 100k idle torrents
// are 100k of them, and the next class is 1152 bytes (12 MB more, and
// slower adds: measured when a 24-byte field took it to 1048 bytes).
// Rarely used state goes behind a pointer made on first use.
func TestActorFitsItsSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(Actor{}); n > 1024 {
		t.Fatalf("the torrent actor is %d bytes, over 1024", n)
	}
}
