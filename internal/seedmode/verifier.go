// Package seedmode decides seed mode's lazy verification (libtorrent's
// seed_mode): a torrent added as a seed counts every piece as had without
// reading its files, and hashes each piece the first time someone asks
// for it (a peer's request, a read of the piece). A piece hashed once is
// not hashed again; when every piece has passed, the torrent leaves seed
// mode as a seed; when one fails, it leaves seed mode and checks its
// files. The caller hashes and keeps who waits; this package says what to
// do with each request and each result.
package seedmode

import "github.com/actorrent/actorrent/internal/bitfield"

// Action is what to do with a request for a piece.
type Action int

const (
	// Serve: the piece was verified; serve the request now.
	Serve Action = iota
	// Hash: start hashing the piece; the request waits for the result.
	Hash
	// Wait: the piece is being hashed; the request waits for the result.
	Wait
	// Refuse: not in seed mode any more (a piece failed): the piece's
	// data cannot be trusted until the files were checked.
	Refuse
)

// Outcome is what a hash result means for the torrent.
type Outcome int

const (
	// Verified: the piece passed; its waiters are served.
	Verified Outcome = iota
	// AllVerified: the piece passed and was the last one: the torrent
	// leaves seed mode as a seed.
	AllVerified
	// Failed: the piece did not pass: the torrent leaves seed mode and
	// checks its files (the verified pieces need not be hashed again).
	Failed
	// Stale: a result for a piece not being hashed (seed mode was left
	// meanwhile); nothing to do but answer its waiters, if any, as failed.
	Stale
)

// Verifier is one torrent's seed-mode verification state.
type Verifier struct {
	verified bitfield.Bitfield
	hashing  bitfield.Bitfield
	failed   bool
}

// New starts seed mode for n pieces, of which verified (nil, or one entry
// a piece) were verified before (resume data's bit 0x2).
func New(n int, verified []bool) *Verifier {
	v := &Verifier{verified: bitfield.New(n), hashing: bitfield.New(n)}
	for p, ok := range verified {
		if ok && p < n {
			v.verified.Set(p)
		}
	}
	return v
}

// Active reports whether the torrent is still in seed mode: no piece
// failed and some piece is not verified yet.
func (v *Verifier) Active() bool { return !v.failed && !v.verified.All() }

// Failed reports whether a piece failed its hash.
func (v *Verifier) Failed() bool { return v.failed }

// IsVerified reports whether piece p passed its hash.
func (v *Verifier) IsVerified(p int) bool { return v.verified.Has(p) }

// Request says what to do with a request for piece p (a valid index).
func (v *Verifier) Request(p int) Action {
	switch {
	case v.verified.Has(p):
		return Serve
	case v.failed:
		return Refuse
	case v.hashing.Has(p):
		return Wait
	}
	v.hashing.Set(p)
	return Hash
}

// Hashed applies the result of piece p's hash.
func (v *Verifier) Hashed(p int, ok bool) Outcome {
	if !v.hashing.Has(p) {
		return Stale
	}
	v.hashing.Clear(p)
	if v.failed {
		return Stale
	}
	if !ok {
		v.failed = true
		return Failed
	}
	v.verified.Set(p)
	if v.verified.All() {
		return AllVerified
	}
	return Verified
}

// Verified returns the verified pieces, one entry a piece (resume data's
// bit 0x2, and what a check after a failure need not hash again).
func (v *Verifier) Verified() []bool {
	out := make([]bool, v.verified.Len())
	for p := range out {
		out[p] = v.verified.Has(p)
	}
	return out
}

// VerifiedSet returns the verified pieces as a bitfield (a copy: status's
// verified_pieces).
func (v *Verifier) VerifiedSet() bitfield.Bitfield { return v.verified.Clone() }

// Unverified returns the pieces not verified yet (a copy: what a new
// peer connection holds requests for).
func (v *Verifier) Unverified() bitfield.Bitfield {
	u := bitfield.New(v.verified.Len())
	for p := range u.Len() {
		if !v.verified.Has(p) {
			u.Set(p)
		}
	}
	return u
}

// Left is the number of pieces not verified yet.
func (v *Verifier) Left() int { return v.verified.Len() - v.verified.Count() }
