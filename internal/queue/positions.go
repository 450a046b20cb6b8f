package queue

import "slices"

// Queue positions, as libtorrent 2.0 keeps them (session_impl's
// m_download_queue): every torrent that is not finished holds one, auto-
// managed or not, numbered 0..n-1 without gaps; lower goes first. Moves
// shift the torrents in between by one, like moving an item in a list.
// Finished torrents hold none (-1) and cannot be moved.

// Position returns the torrent's queue position, -1 when it has none
// (finished, or not in the queue).
func (q *Queue[ID]) Position(id ID) int {
	e, ok := q.torrents[id]
	if !ok {
		return -1
	}
	return e.pos
}

// Up moves the torrent one position towards the front (not past 0).
func (q *Queue[ID]) Up(id ID) {
	if e, ok := q.torrents[id]; ok && e.pos > 0 {
		q.move(e, e.pos-1)
	}
}

// Down moves the torrent one position towards the back (not past the
// last).
func (q *Queue[ID]) Down(id ID) {
	if e, ok := q.torrents[id]; ok && e.pos >= 0 {
		q.move(e, e.pos+1)
	}
}

// Top moves the torrent to position 0.
func (q *Queue[ID]) Top(id ID) { q.Set(id, 0) }

// Bottom moves the torrent to the last position.
func (q *Queue[ID]) Bottom(id ID) { q.Set(id, len(q.order)) }

// Set moves the torrent to position p, clamped to the queue; the torrents
// in between shift by one. It does nothing for a torrent without a
// position. A pass becomes due within a second when the torrent moved.
func (q *Queue[ID]) Set(id ID, p int) {
	if e, ok := q.torrents[id]; ok && e.pos >= 0 {
		q.move(e, p)
	}
}

// move moves e, which holds a position, to p (clamped).
func (q *Queue[ID]) move(e *entry[ID], p int) {
	p = min(max(p, 0), len(q.order)-1)
	if p == e.pos {
		return
	}
	if p < e.pos {
		copy(q.order[p+1:e.pos+1], q.order[p:e.pos])
	} else {
		copy(q.order[e.pos:p], q.order[e.pos+1:p+1])
	}
	q.order[p] = e.id
	q.renumber(min(p, e.pos), max(p, e.pos)+1)
	q.dirty = true
}

// place gives e position p (clamped), inserting it if it has none.
func (q *Queue[ID]) place(e *entry[ID], p int) {
	if e.pos < 0 {
		q.insert(e, p)
		return
	}
	q.move(e, p)
}

// insert gives e, which holds no position, position p (clamped); the
// torrents from p on move back one.
func (q *Queue[ID]) insert(e *entry[ID], p int) {
	p = min(max(p, 0), len(q.order))
	q.order = slices.Insert(q.order, p, e.id)
	q.renumber(p, len(q.order))
	q.dirty = true
}

// erase takes e's position away; the torrents behind it move up one.
func (q *Queue[ID]) erase(e *entry[ID]) {
	p := e.pos
	q.order = slices.Delete(q.order, p, p+1)
	e.pos = -1
	q.moved = append(q.moved, e.id)
	q.renumber(p, len(q.order))
	q.dirty = true
}

// renumber stores the positions of order[from:to] in their entries.
func (q *Queue[ID]) renumber(from, to int) {
	for p := from; p < to; p++ {
		if e := q.torrents[q.order[p]]; e.pos != p {
			e.pos = p
			q.moved = append(q.moved, e.id)
		}
	}
}

// Moved returns the torrents whose position changed since the last call
// (some maybe twice, or no longer in the queue), so that the caller tells
// only those: with 100k torrents, asking each one's position after every
// change costs more than the change. The slice is valid until the next
// call that changes the queue: its array is reused, since a slice per
// added torrent was 1 of the ~50 allocations of an add.
func (q *Queue[ID]) Moved() []ID {
	m := q.moved
	q.moved = m[:0:cap(m)]
	if cap(m) > 1024 {
		q.moved = nil // a big move (Top of 100k) does not pin its array
	}
	return m
}
