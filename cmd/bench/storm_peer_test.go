package main

import (
	"bytes"
	"context"
	"net"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/wire"
)

// fakeSeeder accepts connections on 127.0.0.1 for infoHash and serves
// each with serve after the handshakes.
func fakeSeeder(t *testing.T, infoHash [20]byte, serve func(net.Conn, *wire.Reader)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(time.Minute))
				if _, err := wire.ReadHandshake(c); err != nil {
					return
				}
				if err := wire.WriteHandshake(c, wire.Handshake{InfoHash: infoHash}); err != nil {
					return
				}
				serve(c, wire.NewReader(c))
			}()
		}
	}()
	return ln.Addr().String()
}

// The completion signal: the seeder closes at the have past the end, so
// the drain ends once it has read the whole storm, and it saw each one.
func TestWriteStormEndsAtTheViolation(t *testing.T) {
	const pieces, n = 4, 10_000
	ih := [20]byte{1}
	got := make(chan int, 1)
	addr := fakeSeeder(t, ih, func(c net.Conn, r *wire.Reader) {
		_ = writeMessages(c, wire.Message{ID: wire.BitfieldMsg, Bitfield: []byte{0xf0}})
		count := 0
		for {
			m, err := r.ReadMessage()
			if err != nil {
				got <- -1
				return
			}
			if m.ID == wire.Have && m.Index >= pieces {
				got <- count
				return // closes
			}
			count++
		}
	})
	conn, err := dialSeeder(context.Background(), addr, ih)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	d := startDrain(conn)
	p := planStorm([]wire.Message{{ID: wire.Choke}, {ID: wire.Unchoke}, {KeepAlive: true}}, n, 1000)
	sent, ended, err := writeStorm(conn, p, wire.AppendHave(nil, pieces))
	if err != nil || !ended || sent != n {
		t.Fatalf("writeStorm = %d %v %v, want %d true nil", sent, ended, err, n)
	}
	<-d.done
	if c := <-got; c != n {
		t.Errorf("the seeder read %d messages before the violation, want %d", c, n)
	}
	if r := d.received.Load(); r != 1 {
		t.Errorf("drained %d messages, want the bitfield", r)
	}
}

func TestFetchBlock(t *testing.T) {
	ih := [20]byte{2}
	block := bytes.Repeat([]byte("actorrent"), 100)
	// serve unchokes at interested, after a choke and an unchoke that
	// come before it (libtorrent's redundant ones), and answers requests
	// with payload.
	serve := func(payload []byte) func(net.Conn, *wire.Reader) {
		return func(c net.Conn, r *wire.Reader) {
			for {
				m, err := r.ReadMessage()
				if err != nil {
					return
				}
				switch m.ID {
				case wire.Interested:
					_ = writeMessages(c, wire.Message{KeepAlive: true}, wire.Message{ID: wire.Unchoke},
						wire.Message{ID: wire.Choke}, wire.Message{ID: wire.Unchoke})
				case wire.Request:
					_ = writeMessages(c, wire.Message{ID: wire.Piece, Index: m.Index, Begin: m.Begin, Block: payload[:m.Length]})
				}
			}
		}
	}
	if err := fetchBlock(context.Background(), fakeSeeder(t, ih, serve(block)), ih, block); err != nil {
		t.Errorf("a healthy seeder: %v", err)
	}
	wrong := bytes.Clone(block)
	wrong[7] ^= 1
	if err := fetchBlock(context.Background(), fakeSeeder(t, ih, serve(wrong)), ih, block); err == nil {
		t.Error("a seeder serving other bytes passed")
	}
	closer := fakeSeeder(t, ih, func(net.Conn, *wire.Reader) {})
	if err := fetchBlock(context.Background(), closer, ih, block); err == nil {
		t.Error("a seeder closing the connection passed")
	}
	if err := fetchBlock(context.Background(), fakeSeeder(t, [20]byte{3}, serve(block)), ih, block); err == nil {
		t.Error("a seeder of another torrent passed")
	}
}
