package diskactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
)

// pieceKey names one piece of one torrent in the read cache.
type pieceKey struct {
	ih    messages.InfoHash
	piece int
}

// arcList is the ARC list a read-cache piece is on.
type arcList uint8

const (
	arcMRU      arcList = iota // read once: recency
	arcMFU                     // read again: frequency
	arcMRUGhost                // evicted from MRU: key only, no blocks
	arcMFUGhost                // evicted from MFU: key only, no blocks
	numArcLists
)

func (l arcList) ghost() bool { return l >= arcMRUGhost }

// readPiece is a piece in the read cache: the blocks of it read for peers
// (not necessarily all), or, on a ghost list, only its key.
type readPiece struct {
	key  pieceKey
	list arcList
	size int64 // of the whole piece: the unit ARC adapts by
	// blocks[i] is block i of the piece when held; served[i] says it was
	// handed to a peer at least once (so the next request for it is a
	// re-reference).
	blocks     [][]byte
	served     []bool
	held       int
	bytes      int64
	lastUse    time.Time
	prev, next *readPiece
}

// pieceList is an intrusive LRU list: head is the most recently used.
type pieceList struct {
	head, tail *readPiece
	n          int
	bytes      int64
}

func (l *pieceList) pushFront(e *readPiece) {
	e.prev, e.next = nil, l.head
	if l.head != nil {
		l.head.prev = e
	} else {
		l.tail = e
	}
	l.head = e
	l.n++
	l.bytes += e.bytes
}

func (l *pieceList) remove(e *readPiece) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		l.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		l.tail = e.prev
	}
	e.prev, e.next = nil, nil
	l.n--
	l.bytes -= e.bytes
}

// arc is the read cache: Adaptive Replacement (Megiddo and Modha) over
// whole pieces, as libtorrent's block cache does it. A piece read for a
// peer enters MRU; a block of it requested again (served once already)
// promotes the piece to MFU. Making room evicts whole pieces, from MRU
// while it holds more than target bytes and from MFU otherwise, onto the
// ghost lists; a miss on a ghost piece moves target (towards recency for
// an MRU ghost, frequency for an MFU ghost) and brings the piece back into
// MFU.
//
// "Requested again" is per block, not per piece, on purpose: a peer
// reading a piece front to back hits the blocks read ahead for it one
// after another, and those first uses must not look like a piece in
// demand. The arc never decides its own size: callers pass the capacity
// left by the write cache, which has priority. Pieces read once hold at
// most max(target, recentFloor) of it (arc_recent.go).
type arc struct {
	entries  map[pieceKey]*readPiece
	lists    [numArcLists]pieceList
	target   int64 // ARC's p: the bytes MRU aims for
	ghostMax int   // pieces kept on each ghost list
	blocks   int   // blocks held (MRU and MFU)
}

func newARC(ghostMax int) *arc {
	return &arc{entries: map[pieceKey]*readPiece{}, ghostMax: max(1, ghostMax)}
}

// bytes is what the resident pieces hold.
func (c *arc) bytes() int64 { return c.lists[arcMRU].bytes + c.lists[arcMFU].bytes }

// size is the number of pieces on list l.
func (c *arc) size(l arcList) int { return c.lists[l].n }

// has reports whether block bi of k is held, without counting a use.
func (c *arc) has(k pieceKey, bi int) bool {
	e := c.entries[k]
	return e != nil && !e.list.ghost() && e.blocks[bi] != nil
}

// get returns block bi of k, or nil, and records the use. The buffer stays
// the cache's: the caller copies it.
func (c *arc) get(k pieceKey, bi int, now time.Time) []byte {
	e := c.entries[k]
	if e == nil || e.list.ghost() || e.blocks[bi] == nil {
		return nil
	}
	l := e.list
	if e.served[bi] {
		l = arcMFU // a re-reference
	}
	e.served[bi] = true
	e.lastUse = now
	c.lists[e.list].remove(e)
	e.list = l
	c.lists[l].pushFront(e)
	return e.blocks[bi]
}

// insert caches buf as block bi of k, a piece of nb blocks and size bytes,
// with at most capacity bytes held afterwards: other pieces are evicted
// for room (k itself never is). served marks a block just handed to a
// peer. It returns false, leaving buf to the caller, when the block is
// already held or there is no room.
func (c *arc) insert(k pieceKey, nb int, size int64, bi int, buf []byte, served bool, capacity int64, now time.Time) bool {
	e := c.entries[k]
	if e != nil && !e.list.ghost() && e.blocks[bi] != nil {
		return false
	}
	need := int64(len(buf))
	if need > capacity {
		return false
	}
	list := arcMRU
	if e != nil && e.list.ghost() {
		// A miss on a ghost: adapt first, so that the room is made by
		// the new target (ARC's order), and come back into MFU. The key
		// leaves its ghost list now, before evictions push others on.
		c.adapt(e, capacity)
		c.lists[e.list].remove(e)
		delete(c.entries, k)
		e, list = nil, arcMFU
	}
	c.makeRoom(capacity-need, e)
	if e == nil && list == arcMRU || e != nil && e.list == arcMRU {
		c.trimRecent(need, e) // arc_recent.go
	}
	if c.bytes()+need > capacity {
		return false
	}
	if e == nil {
		e = &readPiece{key: k, list: list, size: size, blocks: make([][]byte, nb), served: make([]bool, nb)}
		c.entries[k] = e
		c.lists[list].pushFront(e)
	}
	e.blocks[bi] = buf
	e.served[bi] = served
	e.held++
	e.bytes += need
	c.lists[e.list].bytes += need
	c.blocks++
	e.lastUse = now
	return true
}

// adapt moves target on a miss for ghost piece e (ARC's rule, in bytes,
// with the piece's size as the step).
func (c *arc) adapt(e *readPiece, capacity int64) {
	b1, b2 := int64(c.lists[arcMRUGhost].n), int64(c.lists[arcMFUGhost].n)
	if e.list == arcMRUGhost {
		c.target = min(capacity, c.target+e.size*max(1, b2/max(1, b1)))
	} else {
		c.target = max(0, c.target-e.size*max(1, b1/max(1, b2)))
	}
}

// shrink evicts pieces until at most capacity bytes are held.
func (c *arc) shrink(capacity int64) { c.makeRoom(capacity, nil) }

func (c *arc) makeRoom(limit int64, keep *readPiece) {
	for c.bytes() > limit {
		v := c.victim(keep)
		if v == nil {
			return
		}
		c.evict(v)
	}
}

// victim is the least recently used piece of the list ARC evicts from
// next, skipping keep.
func (c *arc) victim(keep *readPiece) *readPiece {
	mru, mfu := &c.lists[arcMRU], &c.lists[arcMFU]
	order := [2]*pieceList{mfu, mru}
	if mru.bytes > 0 && (mru.bytes > c.target || mfu.bytes == 0) {
		order = [2]*pieceList{mru, mfu}
	}
	for _, l := range order {
		for e := l.tail; e != nil; e = e.prev {
			if e != keep {
				return e
			}
		}
	}
	return nil
}

// evict frees a resident piece's blocks and moves its key to the ghost
// list of its list, which keeps at most ghostMax keys.
func (c *arc) evict(e *readPiece) {
	c.free(e)
	ghost := arcMRUGhost
	if e.list == arcMFU {
		ghost = arcMFUGhost
	}
	c.lists[e.list].remove(e)
	e.list = ghost
	c.lists[ghost].pushFront(e)
	for g := &c.lists[ghost]; g.n > c.ghostMax; {
		old := g.tail
		g.remove(old)
		delete(c.entries, old.key)
	}
}

// free returns a resident piece's buffers to the pool. It must be called
// before e leaves its list (the list's bytes are adjusted here).
func (c *arc) free(e *readPiece) {
	if e.list.ghost() {
		return
	}
	for _, b := range e.blocks {
		if b != nil {
			bufpool.Put(b)
		}
	}
	c.lists[e.list].bytes -= e.bytes
	c.blocks -= e.held
	e.blocks, e.served, e.held, e.bytes = nil, nil, 0, 0
}

// remove forgets k (resident or ghost): its data is about to change.
func (c *arc) remove(k pieceKey) {
	e := c.entries[k]
	if e == nil {
		return
	}
	c.free(e)
	c.lists[e.list].remove(e)
	delete(c.entries, k)
}

// removeTorrent forgets every piece of ih.
func (c *arc) removeTorrent(ih messages.InfoHash) {
	for k := range c.entries {
		if k.ih == ih {
			c.remove(k)
		}
	}
}

// clear forgets everything.
func (c *arc) clear() {
	for k := range c.entries {
		c.remove(k)
	}
	c.target = 0
}
