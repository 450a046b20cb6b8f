package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/actorrent/actorrent/internal/wire"
)

// ErrStorm means a hostile_storms_cpu run failed.
var ErrStorm = errors.New("bench: hostile_storms_cpu failed")

// stormDialTimeout bounds a connection and its handshake to a seeder.
const stormDialTimeout = 10 * time.Second

// healthTimeout bounds the health check: one block from a fresh
// connection (milliseconds when the seeder is well).
const healthTimeout = 30 * time.Second

// dialSeeder connects to a seeder on loopback and exchanges handshakes for
// infoHash, without extension bits: the storms are plain BEP 3.
func dialSeeder(ctx context.Context, addr string, infoHash [20]byte) (net.Conn, error) {
	d := net.Dialer{Timeout: stormDialTimeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(stormDialTimeout))
	hs := wire.Handshake{InfoHash: infoHash}
	copy(hs.PeerID[:], "-BS0001-")
	_, _ = rand.Read(hs.PeerID[8:])
	if err := wire.WriteHandshake(conn, hs); err != nil {
		conn.Close()
		return nil, fmt.Errorf("handshake: %w", err)
	}
	got, err := wire.ReadHandshake(conn)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("handshake: %w", err)
	}
	if got.InfoHash != infoHash {
		conn.Close()
		return nil, errors.New("handshake: the seeder answered with another info-hash")
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, nil
}

// drain reads and counts what the seeder sends (its bitfield, and its
// answers to the storm: an unchoke per interested, say), so that its
// writes never block, until the connection ends; then it closes done.
type drain struct {
	received atomic.Int64
	done     chan struct{}
	err      error // why reading ended; valid once done is closed
}

func startDrain(conn net.Conn) *drain {
	d := &drain{done: make(chan struct{})}
	go func() {
		defer close(d.done)
		r := wire.NewReader(conn)
		for {
			if _, err := r.ReadMessage(); err != nil {
				d.err = err
				return
			}
			d.received.Add(1)
		}
	}()
	return d
}

// writeStorm writes p, then end. It returns how many of p's messages
// were written whole before a write failed (all of them when err is nil
// or only end failed) and whether end was written.
func writeStorm(conn net.Conn, p stormPlan, end []byte) (sent int, ended bool, err error) {
	for range p.full {
		if _, err := conn.Write(p.chunk); err != nil {
			return sent, false, err
		}
		sent += p.perChunk
	}
	if len(p.tail) > 0 {
		if _, err := conn.Write(p.tail); err != nil {
			return sent, false, err
		}
		sent += p.tailMsgs
	}
	if _, err := conn.Write(end); err != nil {
		return sent, false, err
	}
	return sent, true, nil
}

// fetchBlock is the health check: on a fresh connection it asks for the
// first block of piece 0 and compares what comes with want.
func fetchBlock(ctx context.Context, addr string, infoHash [20]byte, want []byte) error {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	conn, err := dialSeeder(ctx, addr, infoHash)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	if err := writeMessages(conn, wire.Message{ID: wire.Interested}); err != nil {
		return err
	}
	r := wire.NewReader(conn)
	requested := false
	for {
		m, err := r.ReadMessage()
		if err != nil {
			return fmt.Errorf("no block: %w", err)
		}
		switch {
		case m.KeepAlive:
		case m.ID == wire.Unchoke && !requested:
			requested = true
			if err := writeMessages(conn, wire.Message{ID: wire.Request, Index: 0, Begin: 0, Length: uint32(len(want))}); err != nil {
				return err
			}
		case m.ID == wire.Choke:
			requested = false // a choke cancels the request; the next unchoke asks again
		case m.ID == wire.Piece && m.Index == 0 && m.Begin == 0:
			if !bytes.Equal(m.Block, want) {
				return fmt.Errorf("block 0 of piece 0 (%d bytes) differs from the payload's (%d bytes)", len(m.Block), len(want))
			}
			return nil
		}
	}
}

func writeMessages(conn net.Conn, ms ...wire.Message) error {
	var b []byte
	for _, m := range ms {
		b = wire.AppendMessage(b, m)
	}
	_, err := conn.Write(b)
	return err
}
