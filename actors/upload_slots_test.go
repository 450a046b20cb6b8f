package actors

import "testing"

func TestUploadSlots(t *testing.T) {
	s := NewUploadSlots(8)
	// One torrent alone may use every slot.
	s.Want(false, true)
	if got := s.Available(0); got != 8 {
		t.Fatalf("alone: available %d, want 8", got)
	}
	a := s.Hold(0, 8)
	if a != 8 || s.Used() != 8 {
		t.Fatalf("held %d used %d", a, s.Used())
	}
	// A second torrent: its share is half, but nothing is free until the
	// first gives back at its round.
	s.Want(false, true)
	if got := s.Available(0); got != 0 {
		t.Fatalf("second while full: available %d, want 0", got)
	}
	if got := s.Hold(0, 3); got != 0 {
		t.Fatalf("second took %d of none free", got)
	}
	if got := s.Available(a); got != 4 {
		t.Fatalf("first's share: %d, want 4", got)
	}
	a = s.Hold(a, 4)
	b := s.Hold(0, s.Available(0))
	if a != 4 || b != 4 || s.Used() != 8 {
		t.Fatalf("after evening out: %d and %d, used %d", a, b, s.Used())
	}
	// Three torrents: shares round up, the limit still holds.
	s.Want(false, true)
	if got := s.Available(0); got != 0 {
		t.Fatalf("third: available %d", got)
	}
	if got := s.Available(a); got != 3 {
		t.Fatalf("share of 8 over 3: %d, want 3", got)
	}
	// Giving back and leaving.
	s.Hold(a, 0)
	s.Hold(b, 0)
	s.Want(true, false)
	s.Want(true, false)
	if got := s.Available(0); got != 8 || s.Used() != 0 {
		t.Fatalf("alone again: available %d used %d", got, s.Used())
	}
	// No limit.
	s.SetLimit(-1)
	if got := s.Available(0); got != -1 {
		t.Fatalf("unlimited: %d", got)
	}
	if got := s.Hold(0, 100); got != 100 {
		t.Fatalf("unlimited hold %d", got)
	}
	// A lowered limit: held slots over it are no longer available.
	s.SetLimit(10)
	if got := s.Available(100); got != 10 {
		t.Fatalf("lowered: %d, want 10", got)
	}
	if got := s.Available(0); got != 0 {
		t.Fatalf("lowered, none held: %d, want 0", got)
	}
}
