package udptest

import (
	"errors"
	"net"
	"os"
	"testing"
	"testing/synctest"
	"time"
)

func TestDeliversDropsAndTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := NewNet()
		a, b := n.Listen("127.0.0.1"), n.Listen("127.0.0.1")
		defer a.Close()
		defer b.Close()
		if _, err := a.WriteTo([]byte("hi"), b.LocalAddr()); err != nil {
			t.Fatal(err)
		}
		// To an address nobody listens at: lost without an error.
		dead := &net.UDPAddr{IP: net.IPv4(10, 9, 9, 9), Port: 1}
		if _, err := a.WriteTo([]byte("lost"), dead); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 16)
		m, from, err := b.ReadFrom(buf)
		if err != nil || string(buf[:m]) != "hi" || from.String() != a.LocalAddr().String() {
			t.Fatalf("read %q from %v: %v", buf[:m], from, err)
		}
		start := time.Now()
		_ = b.SetReadDeadline(start.Add(10 * time.Second))
		if _, _, err := b.ReadFrom(buf); !errors.Is(err, os.ErrDeadlineExceeded) || time.Since(start) != 10*time.Second {
			t.Fatalf("read after %v: %v", time.Since(start), err)
		}
		_ = b.SetReadDeadline(time.Time{})
		_ = b.Close()
		if _, _, err := b.ReadFrom(buf); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("read on closed conn: %v", err)
		}
	})
}
