package metadata

import (
	"fmt"
	"slices"
	"time"
)

// PeerKey identifies a peer connection to pure code, as in the picker.
type PeerKey uint64

// Defaults for FetcherConfig, chosen after libtorrent's ut_metadata plugin.
const (
	// DefaultMaxInFlight: libtorrent keeps two requests outstanding a peer.
	DefaultMaxInFlight = 2
	// DefaultRequestTimeout is how long a request may go unanswered before
	// its piece is asked of another peer. libtorrent re-asks after 3 s but
	// keeps the first request open; we hand the piece over instead, so we
	// wait longer (a 16 KiB piece at 2 KiB/s) and still accept a late reply.
	DefaultRequestTimeout = 10 * time.Second
	// DefaultRejectBackoff: after a reject libtorrent asks that peer
	// nothing for a minute.
	DefaultRejectBackoff = time.Minute
)

// FetcherConfig tunes a Fetcher; zero fields take the defaults.
type FetcherConfig struct {
	MaxMetadataSize int64         // DefaultMaxMetadataSize
	MaxInFlight     int           // requests outstanding per peer: DefaultMaxInFlight
	RequestTimeout  time.Duration // DefaultRequestTimeout
	RejectBackoff   time.Duration // DefaultRejectBackoff
}

func (c FetcherConfig) withDefaults() FetcherConfig {
	if c.MaxMetadataSize <= 0 {
		c.MaxMetadataSize = DefaultMaxMetadataSize
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.RejectBackoff <= 0 {
		c.RejectBackoff = DefaultRejectBackoff
	}
	return c
}

// Request is a ut_metadata request to send: piece Piece to peer Peer.
type Request struct {
	Peer  PeerKey
	Piece int
}

// Outcome is what a received message changed.
type Outcome struct {
	// Done is true on the call that completed and verified the metadata;
	// Info then returns it.
	Done bool
	// Restarted means the assembled metadata failed the info-hash check
	// and was discarded; the fetch goes on from other peers.
	Restarted bool
	// Contributors, on a restart, are the peers whose pieces made up the
	// failed attempt. A lone contributor is convicted (and in Drop); with
	// several, each is a suspect until a single-source attempt or the
	// verified metadata settles who lied.
	Contributors []PeerKey
	// Drop lists peers proven to have sent bad metadata (or a data message
	// contradicting its size): disconnect them. They are refused if added
	// again.
	Drop []PeerKey
}

// Fetcher assembles one torrent's info dictionary from ut_metadata pieces
// served by several peers, and verifies it against the info-hash.
//
// Peers are grouped by the metadata_size they advertise; one group is
// fetched at a time, the largest (ties: the earliest peer's). A hash
// failure with a single contributor convicts it; with several, all become
// suspects: the next attempt uses only unsuspected peers, and when none are
// left, one suspect at a time fetches everything alone, so a failure
// convicts it and a success clears the rest. After success every peer that
// ever sent a piece differing from the verified bytes is convicted too.
//
// A Fetcher is not safe for concurrent use; its owner (the torrent actor)
// calls it from one goroutine and turns Requests into messages.
type Fetcher struct {
	infoHash [20]byte
	cfg      FetcherConfig

	peers  map[PeerKey]*fetchPeer
	order  []PeerKey // insertion order, for deterministic choices
	banned map[PeerKey]bool

	size      int64 // metadata size being fetched; 0 before a group is chosen
	pieces    []fetchPiece
	have      int
	inFlight  int
	solo      PeerKey // in a single-source attempt, the one peer asked
	soloOn    bool
	history   map[contribution][20]byte // SHA-1 of every piece each peer sent
	info      []byte                    // verified metadata
	completed bool
}

type fetchPeer struct {
	size      int64
	asked     map[int]bool // pieces requested and not answered (timed out ones too)
	inFlight  int          // requests not answered nor timed out
	notBefore time.Time    // no new requests before (after a reject or timeout)
	suspect   bool
}

type fetchPiece struct {
	data     []byte // nil until received
	from     PeerKey
	asking   bool // a request is in flight
	askedOf  PeerKey
	deadline time.Time
}

type contribution struct {
	peer  PeerKey
	piece int
}

// NewFetcher starts fetching the metadata whose SHA-1 is infoHash.
func NewFetcher(infoHash [20]byte, cfg FetcherConfig) *Fetcher {
	return &Fetcher{
		infoHash: infoHash,
		cfg:      cfg.withDefaults(),
		peers:    map[PeerKey]*fetchPeer{},
		banned:   map[PeerKey]bool{},
		history:  map[contribution][20]byte{},
	}
}

// AddPeer registers a peer that supports ut_metadata, with the
// metadata_size from its extension handshake. An error means the peer is
// not used (see ErrNoMetadata, ErrBadSize, ErrInconsistentSize, ErrBanned).
// Adding a known peer with the same size again is a no-op.
func (f *Fetcher) AddPeer(k PeerKey, metadataSize int64) error {
	switch {
	case f.banned[k]:
		return ErrBanned
	case metadataSize == 0:
		return ErrNoMetadata
	case metadataSize < 0 || metadataSize > f.cfg.MaxMetadataSize:
		return fmt.Errorf("%w: %d bytes (limit %d)", ErrBadSize, metadataSize, f.cfg.MaxMetadataSize)
	}
	if p, ok := f.peers[k]; ok {
		if p.size == metadataSize {
			return nil
		}
		f.RemovePeer(k)
		return fmt.Errorf("%w: %d, then %d", ErrInconsistentSize, p.size, metadataSize)
	}
	if f.completed {
		return nil
	}
	f.peers[k] = &fetchPeer{size: metadataSize, asked: map[int]bool{}}
	f.order = append(f.order, k)
	return nil
}

// RemovePeer forgets a peer (it disconnected); pieces it was asked for go
// to others. Pieces it already delivered are kept.
func (f *Fetcher) RemovePeer(k PeerKey) {
	if _, ok := f.peers[k]; !ok {
		return
	}
	for i := range f.pieces {
		if pc := &f.pieces[i]; pc.asking && pc.askedOf == k {
			pc.asking = false
			f.inFlight--
		}
	}
	delete(f.peers, k)
	f.order = slices.DeleteFunc(f.order, func(o PeerKey) bool { return o == k })
	if f.soloOn && f.solo == k {
		f.soloOn = false
	}
}

// Next expires overdue requests and returns the requests to send now, and
// when to call Next again if nothing else happens first (zero: no timer
// needed; call it again after AddPeer, OnData or OnReject).
func (f *Fetcher) Next(now time.Time) ([]Request, time.Time) {
	if f.completed {
		return nil, time.Time{}
	}
	f.expire(now)
	f.chooseAttempt(now)
	if f.size == 0 {
		return nil, time.Time{}
	}
	var reqs []Request
	next := 0 // lowest piece that may be missing
	for _, k := range f.order {
		p := f.peers[k]
		if !f.eligible(k, p) || p.notBefore.After(now) {
			continue
		}
		for p.inFlight < f.cfg.MaxInFlight {
			for next < len(f.pieces) && (f.pieces[next].data != nil || f.pieces[next].asking) {
				next++
			}
			if next == len(f.pieces) {
				return reqs, f.wake(now)
			}
			pc := &f.pieces[next]
			pc.asking, pc.askedOf, pc.deadline = true, k, now.Add(f.cfg.RequestTimeout)
			p.asked[next] = true
			p.inFlight++
			f.inFlight++
			reqs = append(reqs, Request{Peer: k, Piece: next})
		}
	}
	return reqs, f.wake(now)
}

// expire hands back pieces whose request is overdue. The slow peer is left
// alone for a while but may still answer: the late piece is accepted.
func (f *Fetcher) expire(now time.Time) {
	for i := range f.pieces {
		pc := &f.pieces[i]
		if !pc.asking || pc.deadline.After(now) {
			continue
		}
		pc.asking = false
		f.inFlight--
		if p := f.peers[pc.askedOf]; p != nil {
			p.inFlight--
			p.notBefore = later(p.notBefore, now.Add(f.cfg.RequestTimeout))
		}
	}
}

// eligible reports whether k may be asked in the current attempt.
func (f *Fetcher) eligible(k PeerKey, p *fetchPeer) bool {
	if p.size != f.size {
		return false
	}
	if f.soloOn {
		return k == f.solo
	}
	return !p.suspect
}

// wake is the earliest request deadline, or, if pieces wait for a peer that
// is backing off, the earliest time one may be asked again.
func (f *Fetcher) wake(now time.Time) time.Time {
	var t time.Time
	waiting := false
	for i := range f.pieces {
		pc := &f.pieces[i]
		if pc.asking {
			t = earlier(t, pc.deadline)
		} else if pc.data == nil {
			waiting = true
		}
	}
	if waiting {
		for _, k := range f.order {
			if p := f.peers[k]; f.eligible(k, p) && p.notBefore.After(now) {
				t = earlier(t, p.notBefore)
			}
		}
	}
	return t
}

// Done reports whether the metadata has been fetched and verified.
func (f *Fetcher) Done() bool { return f.completed }

// Info returns the verified info dictionary, or nil before Done. The slice
// is shared: do not modify it.
func (f *Fetcher) Info() []byte { return f.info }

// Size is the metadata size being fetched (0 before a peer is usable).
func (f *Fetcher) Size() int64 { return f.size }

// Progress returns how many pieces of the current attempt are in, of how
// many.
func (f *Fetcher) Progress() (have, total int) {
	if f.completed {
		n := numPieces(f.size)
		return n, n
	}
	return f.have, len(f.pieces)
}

func earlier(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
