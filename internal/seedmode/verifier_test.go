package seedmode

import (
	"slices"
	"testing"
)

// step is one call on a Verifier: a request for a piece (want an
// Action) or a hash result (want an Outcome).
type step struct {
	piece  int
	hashed bool // a result (ok) rather than a request
	ok     bool
	action Action
	out    Outcome
}

func req(p int, want Action) step           { return step{piece: p, action: want} }
func res(p int, ok bool, want Outcome) step { return step{piece: p, hashed: true, ok: ok, out: want} }

func TestVerifier(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		verified []bool
		steps    []step
		active   bool
		left     int
		failed   bool
	}{
		{
			name:   "first request hashes, the next ones wait, then serve",
			n:      3,
			steps:  []step{req(1, Hash), req(1, Wait), res(1, true, Verified), req(1, Serve)},
			active: true, left: 2,
		},
		{
			name:   "a piece hashed once is never hashed again",
			n:      2,
			steps:  []step{req(0, Hash), res(0, true, Verified), req(0, Serve), req(0, Serve), req(1, Hash)},
			active: true, left: 1,
		},
		{
			name:   "the last piece to pass ends seed mode",
			n:      2,
			steps:  []step{req(0, Hash), req(1, Hash), res(1, true, Verified), res(0, true, AllVerified), req(0, Serve)},
			active: false, left: 0,
		},
		{
			name: "a failure ends seed mode; other results are stale; verified pieces still serve",
			n:    4,
			steps: []step{req(0, Hash), res(0, true, Verified), req(1, Hash), req(2, Hash), res(1, false, Failed),
				res(2, true, Stale), req(0, Serve), req(2, Refuse), req(3, Refuse)},
			active: false, left: 3, failed: true,
		},
		{
			name:     "resume data's verified pieces are served at once",
			n:        3,
			verified: []bool{true, false, true},
			steps:    []step{req(0, Serve), req(2, Serve), req(1, Hash), res(1, true, AllVerified)},
			active:   false, left: 0,
		},
		{
			name:   "a result nobody asked for is stale",
			n:      2,
			steps:  []step{res(0, true, Stale), req(0, Hash)},
			active: true, left: 2,
		},
		{
			name:     "verified bits past the torrent are ignored",
			n:        1,
			verified: []bool{false, true},
			active:   true, left: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := New(tt.n, tt.verified)
			for i, s := range tt.steps {
				if s.hashed {
					if got := v.Hashed(s.piece, s.ok); got != s.out {
						t.Fatalf("step %d: Hashed(%d, %v) = %v, want %v", i, s.piece, s.ok, got, s.out)
					}
				} else if got := v.Request(s.piece); got != s.action {
					t.Fatalf("step %d: Request(%d) = %v, want %v", i, s.piece, got, s.action)
				}
			}
			if v.Active() != tt.active || v.Left() != tt.left || v.Failed() != tt.failed {
				t.Errorf("Active %v Left %d Failed %v, want %v %d %v", v.Active(), v.Left(), v.Failed(), tt.active, tt.left, tt.failed)
			}
			u := v.Unverified()
			if u.Count() != tt.left {
				t.Errorf("Unverified has %d pieces, want %d", u.Count(), tt.left)
			}
			ver, set := v.Verified(), v.VerifiedSet()
			for p := range tt.n {
				if ver[p] == u.Has(p) || ver[p] != v.IsVerified(p) || ver[p] != set.Has(p) {
					t.Errorf("piece %d: Verified %v, Unverified %v, IsVerified %v", p, ver[p], u.Has(p), v.IsVerified(p))
				}
			}
		})
	}
}

// TestVerifiedIsACopy: the caller may keep what Verified and Unverified
// return while the verifier goes on.
func TestVerifiedIsACopy(t *testing.T) {
	v := New(2, nil)
	before, unv := v.Verified(), v.Unverified()
	v.Request(0)
	v.Hashed(0, true)
	if !slices.Equal(before, []bool{false, false}) || unv.Count() != 2 {
		t.Errorf("copies changed: %v, %d unverified", before, unv.Count())
	}
}
