package peeractor

import (
	"context"
	"net"
	"sync"
	"sync/atomic"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/stats"
)

// writer sends what the actor queues, on its own goroutine, coalescing
// control messages and piece headers into one buffer and sending blocks
// from their pooled buffers with writev (no copy).
type writer struct {
	mu      sync.Mutex
	cur     []byte      // control bytes not sealed yet
	bufs    net.Buffers // sealed, in order
	blocks  [][]byte    // pooled block buffers inside bufs, to return after sending
	nblocks []int       // payload sizes of those blocks, for blockSent
	wake    chan struct{}
	closed  bool
	// inject, when set, lets a fault plan act before each write.
	inject func()
	// bw, when set, holds writes to the upload limits; ctx ends a wait
	// for quota (the connection is closing).
	bw  *peerBandwidth
	ctx context.Context

	// sentPayload and sentBlocks count blocks on the wire, added before
	// blockSent is reported: the actor reads them when it reports stats,
	// so a peer that hangs up right after our last block (before blockSent
	// is delivered) cannot make us lose that block's bytes.
	sentPayload, sentBlocks atomic.Int64
	// counters, when set, are the session's: bytes as each write moves
	// them (ipv6 for the IP-overhead estimate).
	counters *stats.Counters
	ip       *peerIP
	ipv6     bool
}

func newWriter() *writer {
	return &writer{wake: make(chan struct{}, 1)}
}

// control appends a control message built by f.
func (w *writer) control(f func([]byte) []byte) {
	w.mu.Lock()
	if !w.closed {
		w.cur = f(w.cur)
	}
	w.mu.Unlock()
	w.signal()
}

// block appends a piece message: its header (built by hdr) and its block.
// The writer returns the block to the pool once sent.
func (w *writer) block(hdr func([]byte) []byte, data []byte) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		bufpool.Put(data)
		return
	}
	w.cur = hdr(w.cur)
	w.bufs = append(w.bufs, w.cur, data)
	w.cur = nil
	w.blocks = append(w.blocks, data)
	w.nblocks = append(w.nblocks, len(data))
	w.mu.Unlock()
	w.signal()
}

func (w *writer) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// close stops the writer; queued data is dropped.
func (w *writer) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.signal()
}

// run sends until closed or a write fails. sent reports each block's
// payload size once it is on the wire; failed reports a write error.
func (w *writer) run(conn net.Conn, sent func(n int), failed func(error)) {
	for range w.wake {
		w.mu.Lock()
		if w.closed {
			w.releaseLocked()
			w.mu.Unlock()
			return
		}
		if len(w.cur) > 0 {
			w.bufs = append(w.bufs, w.cur)
			w.cur = nil
		}
		bufs, blocks, nblocks := w.bufs, w.blocks, w.nblocks
		w.bufs, w.blocks, w.nblocks = nil, nil, nil
		w.mu.Unlock()
		if len(bufs) == 0 {
			continue
		}
		if w.inject != nil {
			w.inject()
		}
		// Count the blocks before they go out: a peer may read our last
		// block and hang up before this goroutine runs again, and the
		// actor reports its final stats as soon as it hears of that.
		var payload int64
		for _, n := range nblocks {
			payload += int64(n)
		}
		w.sentPayload.Add(payload)
		w.sentBlocks.Add(int64(len(nblocks)))
		sealed := append([][]byte(nil), bufs...) // WriteTo consumes bufs
		n, err := w.bw.writeBuffers(w.ctx, conn, bufs)
		if w.ip != nil {
			w.ip.transferred(w.counters, int(n), true, w.ipv6)
		}
		if err != nil {
			// Take back what did not reach the socket.
			p, b := unsentPayload(sealed, blocks, n)
			w.sentPayload.Add(-p)
			w.sentBlocks.Add(-b)
			payload -= p
		}
		w.counters.Add(stats.NetSentPayloadBytes, payload)
		for _, b := range blocks {
			bufpool.Put(b)
		}
		if err != nil {
			failed(err)
			w.close()
			continue
		}
		for _, n := range nblocks {
			sent(n)
		}
	}
}

// unsentPayload is the payload bytes, and the whole blocks, of a batch that
// did not reach the socket when only its first written bytes did. Blocks
// are told apart from headers by identity: they are the buffers in blocks,
// in order.
func unsentPayload(sealed, blocks [][]byte, written int64) (payload, count int64) {
	next := 0
	for _, buf := range sealed {
		isBlock := next < len(blocks) && len(buf) > 0 && len(blocks[next]) > 0 && &buf[0] == &blocks[next][0]
		if isBlock {
			next++
		}
		sent := min(written, int64(len(buf)))
		written -= sent
		if isBlock && sent < int64(len(buf)) {
			payload += int64(len(buf)) - sent
			if sent == 0 {
				count++
			}
		}
	}
	return payload, count
}

func (w *writer) releaseLocked() {
	for _, b := range w.blocks {
		bufpool.Put(b)
	}
	w.bufs, w.blocks, w.nblocks, w.cur = nil, nil, nil, nil
}
