// Package sharemode decides what a torrent in share mode downloads.
//
// A torrent in share mode downloads only pieces it expects to upload more
// than once, to improve its upload/download ratio rather than to complete.
// Decide follows libtorrent 2.0's torrent::recalc_share_mode rule by rule
// (the comments name them): it is run at the moments libtorrent runs it
// (a peer joined or left, a piece passed, a piece was sent) and answers
// how many seeds to drop and which pieces may be downloaded next; the
// caller picks one of the rarest at random and wants it.
package sharemode

// Peer is one connected peer (not connecting nor disconnecting).
type Peer struct {
	// Seed: it has every piece.
	Seed bool
	// ShareMode and UploadOnly are what it said in its extension
	// handshake: a peer in share mode or upload-only downloads nothing
	// from us worth counting.
	ShareMode, UploadOnly bool
	// NumHave is how many pieces it has.
	NumHave int
}

// Piece is what Decide needs to know of one piece.
type Piece struct {
	// Peers is how many connected peers have it (seeds included:
	// libtorrent's piece_stats peer_count).
	Peers int
	// Have: we have it. Downloading: blocks of it are in flight or
	// received (it is in the download queue).
	Have, Downloading bool
	// Wanted: share mode wants it already (libtorrent's priority > 0).
	Wanted bool
	// Excluded: the user's own priority is 0; share mode never wants it.
	// (libtorrent's share mode overwrites the user's priorities; ours
	// keeps them and only narrows them.)
	Excluded bool
}

// Input is the torrent as recalc_share_mode sees it.
type Input struct {
	NumPieces   int
	PieceLength int64
	// Target is share_mode_target: the upload/download ratio share mode
	// aims for, and the least number of peers that must lack a piece
	// before it is worth downloading.
	Target int
	// MaxConnections is the torrent's connection limit.
	MaxConnections int
	// Uploaded is the payload the torrent uploaded, all time.
	Uploaded int64
	// Have is how many pieces we have; Wanted how many share mode wants,
	// had or not (libtorrent's want()); Downloading how many are in the
	// download queue.
	Have, Wanted, Downloading int
	Peers                     []Peer
	// Piece describes piece i, 0 <= i < NumPieces.
	Piece func(i int) Piece
}

// Reason says which rule ended the decision (for logs and tests).
type Reason uint8

const (
	// Picked: Rarest holds the pieces to pick one of.
	Picked Reason = iota
	// NoPeers: nobody is connected.
	NoPeers
	// NoDownloaders: every peer is a seed, in share mode or upload-only:
	// nobody would download what we download.
	NoDownloaders
	// SeedsSuffice: the seeds can give the downloaders what they lack
	// faster than we could pass it on.
	SeedsSuffice
	// RatioLow: what we downloaded is not uploaded Target times yet.
	RatioLow
	// QueueFull: enough pieces are being downloaded already.
	QueueFull
	// NoCandidate: no piece that some peer has is left to want.
	NoCandidate
	// TooFewLack: fewer than Target peers lack the rarest piece, so it
	// cannot be uploaded Target times.
	TooFewLack
)

// Decision is what the torrent does.
type Decision struct {
	// DropSeeds is how many seeds to disconnect (chosen at random): more
	// than half the connections are seeds, and the connections are
	// nearly all used.
	DropSeeds int
	// Restore are pieces we have or are downloading that share mode does
	// not want yet: it wants them (libtorrent sets them back to the
	// default priority), so a piece in flight is finished.
	Restore []int
	// Rarest are the pieces no one else has fewer copies of, that we
	// neither have nor want yet: download one of them. Empty: nothing.
	Rarest []int
	Reason Reason
}

// Decide runs recalc_share_mode. The caller skips it for a torrent that
// has every piece (a seed has nothing left to decide).
func Decide(in Input) Decision {
	var d Decision
	numPeers, numSeeds, numDownloaders, missing := 0, 0, 0, 0
	for _, p := range in.Peers {
		numPeers++
		if p.Seed {
			numSeeds++
			continue
		}
		// Peers in share mode or upload-only download nothing worth
		// counting.
		if p.ShareMode || p.UploadOnly {
			continue
		}
		numDownloaders++
		missing += in.NumPieces - p.NumHave
	}
	if numPeers == 0 {
		d.Reason = NoPeers
		return d
	}
	// More than 50% seeds, and beyond 90% of the connection limit (or
	// more than 20 peers): the seeds limit our ability to upload. Drop
	// seeds down to half the connections to make room for downloaders.
	maxConns := max(in.MaxConnections, 1)
	if numSeeds*100/numPeers > 50 && (numPeers*100/maxConns > 90 || numPeers > 20) {
		d.DropSeeds = numSeeds - numPeers/2
	}
	if numDownloaders == 0 {
		d.Reason = NoDownloaders
		return d
	}
	// Assume the seeds are about as fast as we are: while we download
	// one piece and upload it once, each seed uploads two.
	missing -= 2 * numSeeds
	if missing <= 0 {
		d.Reason = SeedsSuffice
		return d
	}
	// Download the first piece; after that, one more only once what we
	// downloaded (or are downloading) was uploaded Target times.
	downloaded := max(in.Have, in.Wanted)
	if downloaded > 0 && int64(downloaded)*in.PieceLength*int64(in.Target) > in.Uploaded {
		d.Reason = RatioLow
		return d
	}
	// No more pieces downloading in parallel than 5% of those we have
	// downloaded (one at a time at first).
	if in.Downloading > downloaded/20 {
		d.Reason = QueueFull
		return d
	}
	// The rarest pieces: the ones that the fewest peers have, of those
	// some peer has and we neither have nor want yet.
	rarity := int(^uint(0) >> 1)
	for i := range in.NumPieces {
		ps := in.Piece(i)
		if ps.Peers == 0 {
			continue
		}
		if !ps.Wanted && !ps.Excluded && (ps.Have || ps.Downloading) {
			d.Restore = append(d.Restore, i)
			continue
		}
		if ps.Wanted || ps.Have || ps.Excluded {
			continue
		}
		switch {
		case ps.Peers > rarity:
		case ps.Peers == rarity:
			d.Rarest = append(d.Rarest, i)
		default:
			rarity = ps.Peers
			d.Rarest = append(d.Rarest[:0], i)
		}
	}
	if len(d.Rarest) == 0 {
		d.Reason = NoCandidate
		return d
	}
	// If fewer than Target peers lack the rarest piece, we cannot upload
	// it Target times: no positive share ratio is possible.
	if numPeers-rarity < in.Target {
		d.Rarest = nil
		d.Reason = TooFewLack
		return d
	}
	d.Reason = Picked
	return d
}
