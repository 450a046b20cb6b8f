package utp

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"
)

func TestSocketTransferSmall(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	client, server := connectPair(t, a, b)
	msg := make([]byte, 300<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range msg {
		msg[i] = byte(rng.Uint32())
	}
	done := make(chan error, 1)
	go func() {
		_, err := client.Write(msg)
		if err == nil {
			err = client.Close()
		}
		done <- err
	}()
	got := readAllBounded(t, server)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("got %d bytes, want %d, equal prefix differs", len(got), len(msg))
	}
	_ = time.Second
}
