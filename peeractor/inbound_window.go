package peeractor

import (
	"context"
	"sync/atomic"
)

// inboundWindowSize is how many messages the reader goroutine may have
// handed to the actor that the actor has not handled yet (a batch may
// take it over by its own size once). Pieces are held
// back by the disk's write credit already; this bounds the rest. 512
// messages are 8 MiB of blocks at most, more than a fast peer keeps in
// flight to one connection on loopback, so the window never holds a
// transfer back.
const inboundWindowSize = 512

// inboundWindow is that bound. Without it, a peer that sends small
// messages faster than the actor handles them (keep-alives, haves, choke
// flips) grows the actor's mailbox for as long as it sends — measured, 2M
// of them grew the heap by 50 to 150 MiB (hostile_bounded_test.go), each
// 4- to 9-byte message a mailbox entry some 40 times its size. With it
// the reader stops reading when the window is full, TCP's window fills,
// and the remote is held back as a slow reader holds any sender.
type inboundWindow struct {
	n    atomic.Int32
	room chan struct{} // a token when the actor made room while the reader may wait
}

func newInboundWindow() *inboundWindow {
	return &inboundWindow{room: make(chan struct{}, 1)}
}

// handedOn is the reader's, after it handed on k messages (a batch): it
// waits while the window is over full, and reports false when ctx ended
// first.
func (w *inboundWindow) handedOn(ctx context.Context, k int) bool {
	if w.n.Add(int32(k)) <= inboundWindowSize {
		return true
	}
	// Only this goroutine adds; the actor's handled that brings the
	// count back to the size or under sends a token. A token left from an
	// earlier wait only makes the loop look again.
	for w.n.Load() > inboundWindowSize {
		select {
		case <-w.room:
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// handled is the actor's: k messages handed on were handled.
func (w *inboundWindow) handled(k int) {
	if n := w.n.Add(-int32(k)); n <= inboundWindowSize && n+int32(k) > inboundWindowSize {
		select {
		case w.room <- struct{}{}:
		default:
		}
	}
}
