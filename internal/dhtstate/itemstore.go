package dhtstate

import (
	"bytes"
	"sync"

	"github.com/anacrolix/dht/v2/bep44"
	"github.com/anacrolix/dht/v2/krpc"
	"github.com/anacrolix/torrent/bencode"
)

// ErrCASMismatch is BEP 44's error 301: a put's cas is not the seq of the
// item stored.
var ErrCASMismatch = krpc.Error{Code: krpc.ErrorCodeCasHashMismatched, Msg: "CAS mismatch"}

// ItemStore holds the BEP 44 items other nodes put on ours, at most
// maxItems of them (dht_max_dht_items), dropping the oldest past it.
//
// The library's own check of a mutable put is wrong about CAS: it compares
// the incoming cas with the cas the stored item came with, where BEP 44
// and libtorrent compare it with the stored item's seq (error 301). This
// store keeps no cas (so the library's wrapper, which skips its check when
// the stored cas is zero, leaves CAS to it) and checks the incoming cas
// against the stored seq itself. It checks every put in full (size, salt,
// signature, seq), so that it is right with or without the wrapper. The
// server calls it from its goroutines: it locks.
type ItemStore struct {
	mu       sync.Mutex
	maxItems int
	items    map[bep44.Target]*bep44.Item
	order    []bep44.Target // oldest first
}

var _ bep44.Store = (*ItemStore)(nil)

// NewItemStore returns an empty store keeping at most maxItems (at least 1).
func NewItemStore(maxItems int) *ItemStore {
	return &ItemStore{maxItems: max(maxItems, 1), items: map[bep44.Target]*bep44.Item{}}
}

// Put stores an item, or refuses it with BEP 44's error: 205 (v over 1000
// bytes), 207 (salt over 64 bytes), 206 (bad signature), 301 (cas is not
// the stored seq), 302 (seq lower than the stored one, or equal with
// another value). A put of the item stored (same seq, same value) only
// refreshes it, whatever its cas.
func (s *ItemStore) Put(i *bep44.Item) error {
	if err := bep44.Check(i); err != nil {
		return err
	}
	t := i.Target()
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.items[t]; ok && i.IsMutable() {
		if err := checkReplace(old, i); err != nil {
			return err
		}
	}
	stored := *i
	stored.Cas = 0
	if _, ok := s.items[t]; !ok {
		s.order = append(s.order, t)
	}
	s.items[t] = &stored
	for len(s.order) > s.maxItems {
		delete(s.items, s.order[0])
		s.order = s.order[1:]
	}
	return nil
}

// checkReplace says whether incoming may replace the mutable item old.
func checkReplace(old, incoming *bep44.Item) error {
	if old.Seq == incoming.Seq && bytes.Equal(bencode.MustMarshal(old.V), bencode.MustMarshal(incoming.V)) {
		return nil
	}
	if incoming.Cas != 0 && incoming.Cas != old.Seq {
		return ErrCASMismatch
	}
	if incoming.Seq <= old.Seq {
		return bep44.ErrSequenceNumberLessThanCurrent
	}
	return nil
}

// Get returns the item stored under t (bep44.ErrItemNotFound if none).
func (s *ItemStore) Get(t bep44.Target) (*bep44.Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.items[t]
	if !ok {
		return nil, bep44.ErrItemNotFound
	}
	return i, nil
}

// Del forgets the item stored under t (the wrapper's expiry).
func (s *ItemStore) Del(t bep44.Target) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.items[t]; !ok {
		return nil
	}
	delete(s.items, t)
	for k, o := range s.order {
		if o == t {
			s.order = append(s.order[:k], s.order[k+1:]...)
			break
		}
	}
	return nil
}

// Counts is how many immutable and mutable items are stored
// (dht.dht_immutable_data, dht.dht_mutable_data).
func (s *ItemStore) Counts() (immutable, mutable int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, i := range s.items {
		if i.K == ([32]byte{}) {
			immutable++
		} else {
			mutable++
		}
	}
	return immutable, mutable
}

// Len is how many items are stored.
func (s *ItemStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}
