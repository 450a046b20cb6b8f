// Package piecepicker decides which blocks to request from which peer.
//
// It is a block-level rarest-first picker with end game, modelled on
// libtorrent's piece_picker: started pieces are finished first, new pieces
// are chosen by priority and then rarity (random tie-break), and once every
// missing block is requested the same blocks may be requested from a second
// peer. A Picker is owned by one torrent actor and is not safe for
// concurrent use.
package piecepicker

import (
	"math/rand/v2"

	"github.com/actorrent/actorrent/internal/bitfield"
)

// PeerKey is a small value identifying a connection, chosen by the caller.
type PeerKey uint64

// Block is a request unit: Length bytes at offset Begin of Piece.
type Block struct {
	Piece  int
	Begin  int
	Length int
}

// BlockSize is the request size; only the last block of a piece may be
// shorter.
const BlockSize = 16 * 1024

// Piece priorities. Priority 0 means the piece is not wanted.
const (
	DontDownload    = 0
	DefaultPriority = 4
	MaxPriority     = 7
)

// Picker tracks our pieces, peer availability and outstanding requests of
// one torrent.
type Picker struct {
	numPieces   int
	pieceLength int64
	lastLength  int64 // length of the last piece

	have          bitfield.Bitfield
	numHave       int
	prio          []uint8
	numWanted     int // pieces with priority > 0
	numWantedHave int // of which we have

	avail    []int32 // per piece, over non-seed peers
	numSeeds int     // peers that have every piece
	peers    map[PeerKey]*peerState

	order    order
	dl       []*dlPiece // indexed by piece; nil unless being downloaded
	dlList   []int32    // pieces being downloaded
	freeList []int32    // downloading wanted pieces with free blocks
	spare    []*dlPiece // released dlPieces for reuse

	rng   *rand.Rand
	cand  []candidate // scratch for Pick
	merge []candidate // scratch for pickByRarity (partials.go)

	modes  modes  // sequential download and deadlines (modes.go)
	policy Policy // from the settings (policy.go)
}

// New returns a picker for numPieces pieces of pieceLength bytes, the last
// one shorter so that they sum to totalLength. Inconsistent arguments never
// panic: a negative count or non-positive pieceLength gives an empty picker
// and a last-piece length outside (0, pieceLength] is taken as pieceLength.
func New(numPieces int, pieceLength, totalLength int64) *Picker {
	if numPieces < 0 || pieceLength <= 0 {
		// Nothing sensible can be picked from pieces of no bytes.
		numPieces, pieceLength = 0, 0
	}
	last := totalLength - int64(numPieces-1)*pieceLength
	if last <= 0 || last > pieceLength {
		last = pieceLength
	}
	p := &Picker{
		numPieces:   numPieces,
		pieceLength: pieceLength,
		lastLength:  last,
		have:        bitfield.New(numPieces),
		prio:        make([]uint8, numPieces),
		numWanted:   numPieces,
		avail:       make([]int32, numPieces),
		peers:       make(map[PeerKey]*peerState),
		order:       newOrder(numPieces),
		dl:          make([]*dlPiece, numPieces),
		rng:         rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
	}
	b := p.order.key(DefaultPriority, 0)
	for i := range p.prio {
		p.prio[i] = DefaultPriority
		// Appending in index order into one bucket keeps New O(pieces).
		p.order.pos[i] = int32(i)
		p.order.bucket[i] = int32(b)
		p.order.pieces = append(p.order.pieces, int32(i))
	}
	for c := b + 1; c < len(p.order.start); c++ {
		p.order.start[c] = int32(numPieces)
	}
	return p
}

// SetSeed makes the random tie-break deterministic (for tests and
// reproducible simulations).
func (p *Picker) SetSeed(seed int64) {
	p.rng = rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
}

// NumPieces returns the number of pieces.
func (p *Picker) NumPieces() int { return p.numPieces }

func (p *Picker) validPiece(piece int) bool { return piece >= 0 && piece < p.numPieces }

func (p *Picker) pieceSize(piece int) int64 {
	if piece == p.numPieces-1 {
		return p.lastLength
	}
	return p.pieceLength
}

// BlocksInPiece returns the number of blocks of piece, 0 if out of range.
func (p *Picker) BlocksInPiece(piece int) int {
	if !p.validPiece(piece) {
		return 0
	}
	return int((p.pieceSize(piece) + BlockSize - 1) / BlockSize)
}

// BlockLength returns the length in bytes of block number block of piece
// (BlockSize except for the last block of a piece), 0 if out of range.
func (p *Picker) BlockLength(piece, block int) int {
	n := p.BlocksInPiece(piece)
	if block < 0 || block >= n {
		return 0
	}
	if block < n-1 {
		return BlockSize
	}
	return int(p.pieceSize(piece) - int64(block)*BlockSize)
}

// blockIndex validates b against the piece geometry and returns its block
// number. Anything not exactly a block we would request is rejected.
func (p *Picker) blockIndex(b Block) (int, bool) {
	if !p.validPiece(b.Piece) || b.Begin < 0 || b.Begin%BlockSize != 0 {
		return 0, false
	}
	i := b.Begin / BlockSize
	l := p.BlockLength(b.Piece, i)
	if l == 0 || l != b.Length {
		return 0, false
	}
	return i, true
}

func (p *Picker) block(piece, i int) Block {
	return Block{Piece: piece, Begin: i * BlockSize, Length: p.BlockLength(piece, i)}
}
