package torrentactor

// seedingModes is the state of the seeding modes and aids a torrent may
// use, behind one pointer the actor makes on first use (seedingOf): most
// torrents use none of them, and the actor sits at the top of its size
// class (actor_size_test.go), so each mode costs a torrent that does not
// use it nothing. Each field belongs to its own file.
type seedingModes struct {
	// suggest are the pieces in the read cache we suggest
	// (handle_suggest.go).
	suggest *suggestions
	// lazy is seed mode's verification of each piece on its first
	// request (seed_mode.go).
	lazy *lazyVerify
	// share is share mode (share_mode.go).
	share *shareMode
	// super is super seeding, BEP 16 (super_seed.go).
	super *superSeed
}

// seedingOf returns the torrent's seeding-mode state, made on first use.
func seedingOf(a *Actor) *seedingModes {
	if a.seeding == nil {
		a.seeding = &seedingModes{}
	}
	return a.seeding
}
