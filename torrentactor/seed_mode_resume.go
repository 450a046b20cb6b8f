package torrentactor

import "github.com/actorrent/actorrent/internal/resume"

// Seed mode in resume data, as libtorrent writes and reads it: seed_mode
// says the torrent is in seed mode, and bit 0x2 of a piece in "pieces"
// says it was verified there (bit 0x1: had). Resume data wins over the
// add flag: it keeps seed mode only when it says seed_mode=1, has every
// piece, no priority 0 and no unfinished piece, and the files pass its
// checks (resume.Validate's SeedMode).

// resumeVerified are the pieces resume data marks verified in seed mode.
func resumeVerified(d *resume.Data) []bool {
	out := make([]bool, len(d.Pieces))
	for p, c := range d.Pieces {
		out[p] = c&2 != 0
	}
	return out
}

// saveResume records seed mode in d, whose "pieces" have their had bits:
// seed_mode while in it, and the verified bit of each piece.
func (a seedMode) saveResume(d *resume.Data) {
	bits := a.verifiedBits()
	d.SeedMode = bits != nil
	for p, ok := range bits {
		if ok && p < len(d.Pieces) {
			d.Pieces[p] |= 2
		}
	}
}
