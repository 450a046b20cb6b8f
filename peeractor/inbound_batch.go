package peeractor

import (
	"sync"

	"github.com/actorrent/actorrent/internal/wire"
)

// The reader hands on the messages it has buffered together, one mailbox
// message for a burst (a downloader's requests, a flood of small
// messages), rather than one each: measured with 2M-message storms
// against a seeder (make bench, hostile_storms_cpu), a mailbox post and
// its allocation per message were the largest part of our CPU per
// message, about twice libtorrent's. A batch ends where the buffer does
// (wire.Reader.Ready: never held while the stream waits) and before a
// piece, which goes alone after taking its write credit.

const (
	maxBatchMessages = 256
	maxBatchBytes    = 64 << 10 // the reader's buffer
)

// batchSlices are the batches' message slices, back from the actor once
// handled: growing a fresh slice per batch (and copying its ~100-byte
// entries as it doubled) was a third of a small-message storm's CPU.
var batchSlices = sync.Pool{New: func() any {
	s := make([]inbound, 0, maxBatchMessages)
	return &s
}}

func (b *inboundBatch) add(m wire.Message, size int) {
	if b.msgs == nil {
		b.msgs = (*batchSlices.Get().(*[]inbound))[:0]
	}
	b.msgs = append(b.msgs, inbound{msg: m, size: size})
	b.bytes += size
}

func (b *inboundBatch) full() bool {
	return len(b.msgs) >= maxBatchMessages || b.bytes >= maxBatchBytes
}

// release gives a handled batch's slice back (the actor's, after the
// last message; the messages' own buffers are theirs).
func (b *inboundBatch) release() {
	if cap(b.msgs) != maxBatchMessages {
		return // not the pool's
	}
	clear(b.msgs)
	s := b.msgs[:0]
	b.msgs = nil
	batchSlices.Put(&s)
}
