package utp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// TestSocketThousandConnections runs 1000 connections on one socket pair
// at once: each sends 16 KiB, the server echoes it, the client reads it
// back.
func TestSocketThousandConnections(t *testing.T) {
	const conns = 1000
	const size = 16 << 10
	a := listenLoopback(t, SocketConfig{})
	// SYNs that find the backlog full are ignored and resent 3, 9 and 21
	// s later, all together: with 1000 dials at once a 128 backlog drops
	// most of each burst (one read batch), and a loaded machine can run
	// out of resends. Backlog-full is tested on its own.
	b := listenLoopback(t, SocketConfig{AcceptBacklog: conns})

	var servers sync.WaitGroup
	acceptDone := make(chan struct{})
	go func() {
		defer close(acceptDone)
		for range conns {
			c, err := b.Accept()
			if err != nil {
				return
			}
			servers.Add(1)
			go func() {
				defer servers.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(testWait))
				io.Copy(c, io.LimitReader(c, size))
			}()
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	errs := make(chan error, conns)
	var clients sync.WaitGroup
	for i := range conns {
		clients.Add(1)
		go func() {
			defer clients.Done()
			errs <- echoOnce(ctx, a, b, byte(i), size)
		}()
	}
	clients.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			if failed < 5 {
				t.Error(err)
			}
			failed++
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d connections failed", failed, conns)
	}
	<-acceptDone
	servers.Wait()
	t.Logf("client socket: %+v", a.Stats())
	t.Logf("server socket: %+v", b.Stats())
}

func echoOnce(ctx context.Context, a, b *Socket, seed byte, size int) error {
	c, err := a.DialContext(ctx, addrOf(b))
	if err != nil {
		return fmt.Errorf("dial %d: %w", seed, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testWait))
	msg := bytes.Repeat([]byte{seed, seed ^ 0x5a, 7}, size/3+1)[:size]
	werr := make(chan error, 1)
	go func(c net.Conn) { _, err := c.Write(msg); werr <- err }(c)
	got := make([]byte, size)
	if _, err := io.ReadFull(c, got); err != nil {
		return fmt.Errorf("conn %d read: %w", seed, err)
	}
	if err := <-werr; err != nil {
		return fmt.Errorf("conn %d write: %w", seed, err)
	}
	if !bytes.Equal(got, msg) {
		return fmt.Errorf("conn %d: echo differs", seed)
	}
	return nil
}
