package torrentactor

import (
	"slices"
	"testing"
)

// Senders are kept per piece, once per address, and taken once.
func TestPieceSenders(t *testing.T) {
	var s pieceSenders
	if got := s.take(1); len(got) != 0 {
		t.Fatalf("take from none = %v", got)
	}
	s.note(1, "10.0.0.2:1")
	s.note(1, "10.0.0.1:1")
	s.note(1, "10.0.0.2:1")
	s.note(2, "10.0.0.3:1")
	if got := s.take(1); !slices.Equal(got, []string{"10.0.0.1:1", "10.0.0.2:1"}) {
		t.Fatalf("take(1) = %v", got)
	}
	if got := s.take(1); len(got) != 0 {
		t.Fatalf("take(1) again = %v, want none", got)
	}
	if got := s.take(2); !slices.Equal(got, []string{"10.0.0.3:1"}) {
		t.Fatalf("take(2) = %v", got)
	}
}
