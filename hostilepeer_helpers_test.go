package actorrent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/wire"
)

// hostilePeer is a raw BitTorrent peer on 127.0.0.1 written with
// internal/wire, which the tests script to misbehave against a Session.
type hostilePeer struct {
	t    *testing.T
	conn net.Conn
	r    *wire.Reader
	ti   *TorrentInfo
	data []byte // the payload, in torrent order (single-file torrents)
	// ours is our handshake's peer id; the session names us by address.
	local string
}

// dialHostile connects to a session's listen address and exchanges
// handshakes for ti. Every read and write is bounded by a deadline.
func dialHostile(t *testing.T, addr string, ti *TorrentInfo, data []byte) *hostilePeer {
	t.Helper()
	return dialHostileWith(t, addr, "", wire.Handshake{}, ti, data)
}

// dialHostileWith is dialHostile from a local address of its own ("": any)
// with hs's reserved bits (the extension and fast bits).
func dialHostileWith(t *testing.T, addr, local string, hs wire.Handshake, ti *TorrentInfo, data []byte) *hostilePeer {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second}
	if local != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
	}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	copy(hs.PeerID[:], fmt.Sprintf("-HP0000-%012d", time.Now().UnixNano()%1e12))
	hs.InfoHash = ti.InfoHash()
	if err := wire.WriteHandshake(c, hs); err != nil {
		t.Fatal(err)
	}
	got, err := wire.ReadHandshake(c)
	if err != nil {
		t.Fatalf("hostile peer: read handshake: %v", err)
	}
	if got.InfoHash != ti.InfoHash() {
		t.Fatal("hostile peer: session answered with another info-hash")
	}
	return &hostilePeer{t: t, conn: c, r: wire.NewReader(c), ti: ti, data: data, local: c.LocalAddr().String()}
}

// send writes messages in one write.
func (h *hostilePeer) send(ms ...wire.Message) error {
	var b []byte
	for _, m := range ms {
		b = wire.AppendMessage(b, m)
	}
	_, err := h.conn.Write(b)
	return err
}

// allHave is a bitfield message with every piece.
func (h *hostilePeer) allHave() wire.Message {
	n := h.ti.NumPieces()
	b := make([]byte, (n+7)/8)
	for i := range n {
		b[i/8] |= 0x80 >> (i % 8)
	}
	return wire.Message{ID: wire.BitfieldMsg, Bitfield: b}
}

// readUntil reads messages until ok holds for one.
func (h *hostilePeer) readUntil(ok func(wire.Message) bool) (wire.Message, error) {
	for {
		m, err := h.r.ReadMessage()
		if err != nil {
			return m, err
		}
		if ok(m) {
			return m, nil
		}
	}
}

// closedBySession reads (and ignores) everything until the session closes
// the connection. It fails the test if the connection stays open.
func (h *hostilePeer) closedBySession() {
	h.t.Helper()
	_ = h.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err := h.readUntil(func(wire.Message) bool { return false })
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		h.t.Fatal("the session did not close the hostile connection")
	}
}

// serve answers as a seeder: it unchokes an interested peer and serves its
// requests, flipping a byte in every block of piece corrupt (-1: none).
// With chokeAfterCorrupt it chokes for good once piece corrupt was sent.
// It returns when the connection ends.
func (h *hostilePeer) serve(corrupt int, chokeAfterCorrupt bool) {
	sentOfCorrupt := int64(0)
	choked := false
	for {
		m, err := h.r.ReadMessage()
		if err != nil {
			return
		}
		switch {
		case m.KeepAlive:
		case m.ID == wire.Interested && !choked:
			if h.send(wire.Message{ID: wire.Unchoke}) != nil {
				return
			}
		case m.ID == wire.Request && !choked:
			off := int64(m.Index)*h.ti.PieceLength() + int64(m.Begin)
			if m.Length > 1<<17 || off+int64(m.Length) > int64(len(h.data)) {
				return
			}
			blk := append([]byte(nil), h.data[off:off+int64(m.Length)]...)
			if int(m.Index) == corrupt {
				blk[0] ^= 0xff
				sentOfCorrupt += int64(m.Length)
			}
			out := []wire.Message{{ID: wire.Piece, Index: m.Index, Begin: m.Begin, Block: blk}}
			if chokeAfterCorrupt && corrupt >= 0 && sentOfCorrupt == h.ti.PieceSize(corrupt) {
				out = append(out, wire.Message{ID: wire.Choke})
				choked = true
			}
			if h.send(out...) != nil {
				return
			}
		}
	}
}

// hostileAlerts accumulates a session's alerts across PopAlerts calls.
type hostileAlerts struct {
	s   *Session
	mu  sync.Mutex
	all []Alert
}

// wait pops alerts until one satisfies ok.
func (a *hostileAlerts) wait(ctx context.Context, t *testing.T, what string, ok func(Alert) bool) Alert {
	t.Helper()
	for {
		got, err := a.s.PopAlerts(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		a.mu.Lock()
		a.all = append(a.all, got...)
		for _, al := range a.all {
			if ok(al) {
				a.mu.Unlock()
				return al
			}
		}
		a.mu.Unlock()
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// peerError waits for the peer_error alert of the connection from addr
// and checks that it names reason.
func (a *hostileAlerts) peerError(ctx context.Context, t *testing.T, addr string, reason error) {
	t.Helper()
	al := a.wait(ctx, t, "peer_error from "+addr, func(al Alert) bool {
		pe, ok := al.(PeerErrorAlert)
		return ok && pe.Endpoint == addr
	}).(PeerErrorAlert)
	if !errors.Is(al.Error, reason) {
		t.Fatalf("peer_error from %s: %v, want %v", addr, al.Error, reason)
	}
}

// hostilePayload is a single-file torrent seeded from src.
type hostilePayload struct {
	ti   *TorrentInfo
	src  string
	data []byte
}

func makeHostilePayload(t *testing.T, size, pieceSize int64) hostilePayload {
	t.Helper()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"p.bin": size}, size)
	ti, err := CreateTorrent(filepath.Join(src, "p.bin"), CreateTorrentOptions{PieceSize: pieceSize})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(src, "p.bin"))
	if err != nil {
		t.Fatal(err)
	}
	return hostilePayload{ti: ti, src: src, data: data}
}

// isEOF reports a connection that ended.
func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed)
}

// serveRequests unchokes an interested peer and hands every request to
// answer, until the connection ends or answer returns false.
func (h *hostilePeer) serveRequests(answer func(m wire.Message) bool) {
	for {
		m, err := h.r.ReadMessage()
		if err != nil {
			return
		}
		switch {
		case m.KeepAlive:
		case m.ID == wire.Interested:
			if h.send(wire.Message{ID: wire.Unchoke}) != nil {
				return
			}
		case m.ID == wire.Request:
			if !answer(m) {
				return
			}
		}
	}
}

// block is the payload's bytes a request asks for (nil when out of range).
func (h *hostilePeer) block(m wire.Message) []byte {
	off := int64(m.Index)*h.ti.PieceLength() + int64(m.Begin)
	if m.Length > 1<<17 || off+int64(m.Length) > int64(len(h.data)) {
		return nil
	}
	return h.data[off : off+int64(m.Length)]
}

// serveAllCorrupt serves every request with a corrupt block (its first
// byte flipped): a liar, until the connection ends.
func (h *hostilePeer) serveAllCorrupt() {
	h.serveRequests(func(m wire.Message) bool {
		b := h.block(m)
		if b == nil {
			return false
		}
		blk := append([]byte(nil), b...)
		blk[0] ^= 0xff
		return h.send(wire.Message{ID: wire.Piece, Index: m.Index, Begin: m.Begin, Block: blk}) == nil
	})
}

// dialHostileFast is dialHostile with the fast extension bit set.
func dialHostileFast(t *testing.T, addr string, ti *TorrentInfo, data []byte) *hostilePeer {
	t.Helper()
	var hs wire.Handshake
	hs.Reserved[wire.ReservedFastByte] |= wire.ReservedFastBit
	return dialHostileWith(t, addr, "", hs, ti, data)
}
