package actors

import (
	"testing"

	"github.com/actorrent/actorrent/internal/ratelimit"
)

// Holders count a peer once per direction while it is active, under its
// transport, and give it back on Release; a nil Activity counts nothing.
func TestActivity(t *testing.T) {
	a := NewActivity()
	tcp, utp := NewActivityHolder(a, false), NewActivityHolder(a, true)
	tcp.Set(ratelimit.Download, true)
	tcp.Set(ratelimit.Download, true) // no change
	utp.Set(ratelimit.Download, true)
	utp.Set(ratelimit.Upload, true)
	if a.Count(false, ratelimit.Download) != 1 || a.Count(true, ratelimit.Download) != 1 ||
		a.Count(true, ratelimit.Upload) != 1 || a.Count(false, ratelimit.Upload) != 0 {
		t.Fatalf("counts tcp %d/%d utp %d/%d", a.Count(false, ratelimit.Upload), a.Count(false, ratelimit.Download),
			a.Count(true, ratelimit.Upload), a.Count(true, ratelimit.Download))
	}
	utp.Set(ratelimit.Upload, false)
	tcp.Release()
	utp.Release()
	for _, u := range []bool{false, true} {
		for _, d := range []ratelimit.Direction{ratelimit.Upload, ratelimit.Download} {
			if n := a.Count(u, d); n != 0 {
				t.Fatalf("after release: %d (utp %v, dir %d)", n, u, d)
			}
		}
	}
	var none ActivityHolder
	none.Set(ratelimit.Upload, true)
	if (*Activity)(nil).Count(true, ratelimit.Upload) != 0 {
		t.Fatal("a nil Activity counted")
	}
}
