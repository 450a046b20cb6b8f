package messages

// SetSuperSeeding turns super seeding (BEP 16) on or off (the torrent
// handle's SuperSeeding).
type SetSuperSeeding struct {
	On bool
}

// SuperSeedPieces tells a peer actor what its torrent's super seeding
// (BEP 16) shows the remote. On: the remote is told we have no piece
// (have_none, or no bitfield) and then Have, one HAVE each, and may
// request only the pieces in Allowed (-1: an empty slot); other requests
// are rejected. Off: super seeding ended; the remote gets the full
// picture (have_all or a bitfield) and may request any piece we have.
type SuperSeedPieces struct {
	On      bool
	Have    []int
	Allowed [2]int
}
