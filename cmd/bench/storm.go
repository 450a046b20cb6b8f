package main

import (
	"bytes"

	"github.com/actorrent/actorrent/internal/wire"
)

// The hostile_storms_cpu lines (issue 10, part 10: "the session survives
// each hostile behaviour with bounded CPU and memory"). Memory is asserted
// in `make test` (hostile_bounded_test.go); CPU is measured here, against
// libtorrent's on the same storms. For each storm of that test a fresh
// seeder (`demo seed`, or python3-libtorrent's) serves a small payload; a
// raw peer written with internal/wire handshakes and writes stormMessages
// messages as fast as loopback takes them, then a have of a piece past the
// torrent's end, a protocol violation both seeders answer by closing the
// connection once every message before it was read (libtorrent:
// errors::invalid_have). Then a fresh connection must get a block (the
// seeder is still healthy), and only then is the seeder's CPU read, so
// that work queued behind the storm's last messages counts too. The line
// per storm is CPU seconds per million messages the seeder took (medians
// over -runs), and a second one its peak RssAnon growth over the storm.
// A seeder that drops the storming peer early has taken fewer messages:
// the "#" line says how many were written before the write failed, and
// the CPU figure is per message it took. With -cpuprofile DIR, our
// seeders write DIR/storm-NAME-RUN.prof (they are then stopped by SIGINT).
const (
	lineStorms    = "hostile_storms_cpu"
	lineStormsRSS = "hostile_storms_rss"

	stormMessages = 2_000_000
	// stormChunkBytes is about how much one write carries: enough that
	// the write syscalls cost the bench little, small enough that a
	// seeder dropping us is noticed within a few kilobytes.
	stormChunkBytes = 64 << 10
)

// storm is one hostile behaviour: msgs repeated, in order, until
// stormMessages were written.
type storm struct {
	name string // the line's suffix
	what string // as hostile_bounded_test.go names it
	msgs []wire.Message
	// bitfieldTorrent: the payload is smallPieces 16 KiB pieces rather
	// than 4 of 256 KiB, the bitfields being its size (256 bytes).
	bitfieldTorrent bool
}

// Payload shapes: hostile_bounded_test.go's.
const (
	stormSize           = 1 << 20
	stormPieceLength    = 256 << 10
	bitfieldPieces      = 2048
	bitfieldPieceLength = 16 << 10
)

// storms are hostile_bounded_test.go's, in its order.
var storms = []storm{
	{name: "keepalive", what: "keep-alives", msgs: []wire.Message{{KeepAlive: true}}},
	{name: "interest", what: "interest toggles", msgs: []wire.Message{{ID: wire.Interested}, {ID: wire.NotInterested}}},
	{name: "choke", what: "choke toggles", msgs: []wire.Message{{ID: wire.Choke}, {ID: wire.Unchoke}}},
	{name: "have", what: "the same have", msgs: []wire.Message{{ID: wire.Have, Index: 0}}},
	{name: "cancel", what: "cancels of nothing", msgs: []wire.Message{{ID: wire.Cancel, Index: 1, Begin: 0, Length: 16 << 10}}},
	// Every bitfield after the first replaces the peer's pieces; never
	// all of them (a seed drops a seed), then a have after the empty one.
	{name: "bitfield", what: "bitfield flips", bitfieldTorrent: true, msgs: []wire.Message{
		{ID: wire.BitfieldMsg, Bitfield: append(bytes.Repeat([]byte{0xff}, bitfieldPieces/8-1), 0xfe)},
		{ID: wire.BitfieldMsg, Bitfield: make([]byte, bitfieldPieces/8)},
		{ID: wire.Have, Index: 2},
	}},
}

// stormPlan is a storm of n messages as writes: full repeated, then tail.
type stormPlan struct {
	chunk    []byte // whole cycles of the storm's messages, at least minBytes
	perChunk int    // messages in chunk
	full     int    // times chunk is written
	tail     []byte // the first tailMsgs messages of chunk
	tailMsgs int    // n - full*perChunk
}

// planStorm encodes msgs, repeated in order, into writes of about
// minBytes that together hold exactly n messages.
func planStorm(msgs []wire.Message, n, minBytes int) stormPlan {
	var p stormPlan
	if len(msgs) == 0 {
		return p
	}
	var ends []int // ends[i]: chunk's length after its message i
	for len(p.chunk) < minBytes || p.perChunk == 0 {
		for _, m := range msgs {
			p.chunk = wire.AppendMessage(p.chunk, m)
			ends = append(ends, len(p.chunk))
			p.perChunk++
		}
	}
	p.full = n / p.perChunk
	if p.tailMsgs = n - p.full*p.perChunk; p.tailMsgs > 0 {
		p.tail = p.chunk[:ends[p.tailMsgs-1]]
	}
	return p
}

// messages is how many messages the plan writes.
func (p stormPlan) messages() int { return p.full*p.perChunk + p.tailMsgs }
