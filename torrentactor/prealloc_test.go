package torrentactor

import "testing"

// The first incarnation lives in the memory the adding goroutine
// allocated; a second New with the same Prealloc, or a second
// incarnation, gets memory of its own.
func TestPreallocIsUsedOnce(t *testing.T) {
	meta := makeMeta(t, t.TempDir(), "p", 1<<14, 1<<14)
	p := Preallocate()
	mem := p.actor
	props := New(Config{Meta: meta, Prealloc: p})
	if props != p.props {
		t.Fatal("New did not use the preallocated props")
	}
	first := p.produce().(*Actor)
	if first != mem {
		t.Fatal("the first incarnation is not in the preallocated memory")
	}
	if first.ih != meta.InfoHash || first.cfg.Meta != meta || first.queuePos != -1 {
		t.Fatalf("the first incarnation is not the torrent's: %x %v %d", first.ih, first.cfg.Meta == meta, first.queuePos)
	}
	second := p.produce().(*Actor)
	if second == first || second.cfg == first.cfg || second.ih != meta.InfoHash {
		t.Fatal("a second incarnation shares the first's memory, or is not the torrent's")
	}
	if again := New(Config{Meta: meta, Prealloc: p}); again == props {
		t.Fatal("a used Prealloc was used again")
	}
}
