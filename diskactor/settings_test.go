package diskactor

import (
	"testing"

	"github.com/actorrent/actorrent/messages"
)

// Settings applied at runtime: hashing_threads resizes the worker pool
// (idle workers stop at once), file_pool_size bounds the files open for
// every torrent together.
func TestSettingsChangeWorkersAndFilePool(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2)})
	if n := r.status().Workers; n != 2 {
		t.Fatalf("%d workers, want 2", n)
	}
	r.sys.Root.Send(r.disk, &messages.SettingsChanged{Settings: withSettings("hashing_threads", 5)})
	if n := r.status().Workers; n != 5 {
		t.Fatalf("%d workers after hashing_threads 5", n)
	}
	r.sys.Root.Send(r.disk, &messages.SettingsChanged{Settings: withSettings("hashing_threads", 1, "file_pool_size", 1)})
	if n := r.status().Workers; n != 1 {
		t.Fatalf("%d workers after hashing_threads 1", n)
	}
	// Two torrents seeding, each read once: one file open for both.
	for i, name := range []string{"a", "b"} {
		src := t.TempDir()
		pl := makePayload(t, src, name, 64<<10, 16<<10, int64(i))
		r.seed(pl, src)
		peer, prec := r.spawnRecorder()
		r.readBlock(pl, peer, prec, 0, 0)
	}
	if n := r.status().OpenFiles; n != 1 {
		t.Fatalf("%d files open with file_pool_size 1", n)
	}
}
