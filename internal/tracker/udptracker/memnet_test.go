package udptracker

import (
	"testing"

	"github.com/actorrent/actorrent/internal/tracker/udptracker/udptest"
)

// The tests that count packets run on an in-memory network (udptest) in a
// testing/synctest bubble, so that retransmission timers run in virtual
// time and a reply is never late.

// startMemTracker runs a fake tracker on n, at 127.0.0.1.
func startMemTracker(t *testing.T, n *udptest.Net) *fakeTracker {
	t.Helper()
	return serveFakeTracker(t, n.Listen("127.0.0.1"))
}

// newMemClient runs a Client on a conn of n at 127.0.0.1 (an IPv4
// socket); the conn is closed when the test ends.
func newMemClient(t *testing.T, n *udptest.Net, cfg Config) *Client {
	t.Helper()
	conn := n.Listen("127.0.0.1")
	c := New(conn, cfg)
	t.Cleanup(func() {
		_ = c.Close()
		_ = conn.Close()
	})
	return c
}
