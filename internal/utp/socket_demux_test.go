package utp

import (
	"bytes"
	"errors"
	"net"
	"testing"
	"time"
)

// TestSocketDemuxPacketConn: a PacketConn claiming `d…e` datagrams gets
// them while uTP traffic flows on the same socket; datagrams nobody
// claims are counted and dropped.
func TestSocketDemuxPacketConn(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	dht := b.PacketConn(IsDHTDatagram)
	defer dht.Close()
	client, server := connectPair(t, a, b)

	raw, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	bAddr := b.Addr().(*net.UDPAddr)

	const msgs = 50
	const streamBytes = 4 << 20
	sent := make(chan error, 1)
	go func() { sent <- sendPattern(client, 3, streamBytes) }()
	for i := range msgs {
		// The garbage goes first: once the last DHT message is read,
		// every garbage datagram before it has been counted.
		if _, err := raw.WriteToUDP([]byte("garbage that nobody claims"), bAddr); err != nil {
			t.Fatal(err)
		}
		q := []byte("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:" + string(rune('a'+i%26)) + "x1:y1:qe")
		if _, err := raw.WriteToUDP(q, bAddr); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := hashUntil(server, streamBytes)
	if err != nil || sum != patternSum(3, streamBytes) {
		t.Fatalf("uTP stream beside the DHT traffic: %v", err)
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	dht.SetReadDeadline(time.Now().Add(testWait))
	buf := make([]byte, 2048)
	for i := range msgs {
		n, from, err := dht.ReadFrom(buf)
		if err != nil {
			t.Fatalf("datagram %d: %v", i, err)
		}
		if !IsDHTDatagram(buf[:n]) || from.String() != raw.LocalAddr().String() {
			t.Fatalf("datagram %d: %q from %v", i, buf[:n], from)
		}
	}
	// The PacketConn answers through the real socket.
	if _, err := dht.WriteTo([]byte("d1:y1:re"), raw.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	raw.SetReadDeadline(time.Now().Add(testWait))
	n, _, err := raw.ReadFromUDP(buf)
	if err != nil || !bytes.Equal(buf[:n], []byte("d1:y1:re")) {
		t.Fatalf("reply: %q, %v", buf[:n], err)
	}
	if st := b.Stats(); st.Unclaimed != msgs {
		t.Fatalf("unclaimed: %d, want %d", st.Unclaimed, msgs)
	}
	// After Close its datagrams are no longer claimed.
	dht.Close()
	if _, _, err := dht.ReadFrom(buf); err == nil {
		t.Fatal("ReadFrom after Close succeeded")
	}
}

func TestIsDHTDatagram(t *testing.T) {
	for _, c := range []struct {
		b    string
		want bool
	}{
		{"d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe", true},
		{"d1:y1:re", false}, // too short to be a DHT message
		{"x1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe", false},
		{"d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qx", false},
		{"", false},
	} {
		if got := IsDHTDatagram([]byte(c.b)); got != c.want {
			t.Errorf("%q: %v, want %v", c.b, got, c.want)
		}
	}
}

// TestSocketResetsStrayUTP: a uTP packet for no connection is answered
// with a RESET, as libtorrent does.
func TestSocketResetsStrayUTP(t *testing.T) {
	b := listenLoopback(t, SocketConfig{})
	raw, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	pk := Packet{Header: Header{Type: TypeState, ConnID: 777, SeqNr: 10, AckNr: 20}}
	if _, err := raw.WriteToUDP(pk.AppendTo(nil), b.Addr().(*net.UDPAddr)); err != nil {
		t.Fatal(err)
	}
	raw.SetReadDeadline(time.Now().Add(testWait))
	buf := make([]byte, 2048)
	n, _, err := raw.ReadFromUDP(buf)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePacket(buf[:n])
	if err != nil || p.Type != TypeReset || p.ConnID != 777 || p.AckNr != 10 {
		t.Fatalf("answer: %+v, %v", p, err)
	}
}

func TestPacketConnDeadlinesAndClose(t *testing.T) {
	s := listenLoopback(t, SocketConfig{})
	pc := s.PacketConn(IsDHTDatagram)
	buf := make([]byte, 64)
	pc.SetReadDeadline(time.Now().Add(-time.Second))
	if _, _, err := pc.ReadFrom(buf); !isTimeout(err) {
		t.Fatalf("past read deadline: %v", err)
	}
	pc.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	if _, _, err := pc.ReadFrom(buf); !isTimeout(err) {
		t.Fatalf("idle read deadline: %v", err)
	}
	pc.SetWriteDeadline(time.Now().Add(-time.Second))
	if _, err := pc.WriteTo([]byte("x"), s.Addr()); !isTimeout(err) {
		t.Fatalf("past write deadline: %v", err)
	}
	pc.SetDeadline(time.Time{})
	errc := make(chan error, 1)
	go func() { _, _, err := pc.ReadFrom(buf); errc <- err }()
	pc.Close()
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Fatalf("read pending at Close: %v", err)
	}
	if _, err := pc.WriteTo([]byte("x"), s.Addr()); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after Close: %v", err)
	}
	// Closing the socket closes the PacketConns still open.
	pc2 := s.PacketConn(IsDHTDatagram)
	s.Close()
	if _, _, err := pc2.ReadFrom(buf); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("read after the socket closed: %v", err)
	}
}
