package utp

import (
	"bytes"
	"net/netip"
	"testing"
	"time"
)

// datagrams lists a batch's datagrams.
func (b *rxBatch) datagrams() [][]byte {
	var out [][]byte
	start := 0
	for _, end := range b.ends {
		out = append(out, b.buf[start:end])
		start = end
	}
	return out
}

// A GRO read is cut into its datagrams by the segment size, the last one
// shorter; a plain read (seg 0) is one datagram, even an empty one.
func TestRxQueuePushCutsGROReads(t *testing.T) {
	var q rxQueue
	q.init()
	from := netip.MustParseAddrPort("127.0.0.1:6881")
	gro := make([]byte, 10*100+50)
	for i := range gro {
		gro[i] = byte(i / 100)
	}
	if !q.push(gro, 100, from, nil) || !q.push(nil, 0, from, nil) || !q.push([]byte("abc"), 0, from, nil) {
		t.Fatal("push refused")
	}
	b := q.take()
	got := b.datagrams()
	if len(got) != 13 {
		t.Fatalf("%d datagrams, want 13", len(got))
	}
	for i := range 11 {
		want := gro[i*100 : min(i*100+100, len(gro))]
		if !bytes.Equal(got[i], want) {
			t.Fatalf("datagram %d: %d bytes starting %d, want %d starting %d", i, len(got[i]), got[i][0], len(want), want[0])
		}
	}
	if len(got[11]) != 0 || string(got[12]) != "abc" {
		t.Fatalf("plain reads: %q %q", got[11], got[12])
	}
	for i, f := range b.from {
		if f != from {
			t.Fatalf("datagram %d from %v", i, f)
		}
	}
}

// A read that does not fit waits for the owner to take the batch, goes
// on where it stopped, and gives up when the socket closes.
func TestRxQueuePushWaitsForRoom(t *testing.T) {
	var q rxQueue
	q.init()
	from := netip.MustParseAddrPort("127.0.0.1:6881")
	const n = rxBatchDatagrams + 88
	gro := make([]byte, n*10)
	for i := range gro {
		gro[i] = byte(i / 10)
	}
	done := make(chan bool, 1)
	go func() { done <- q.push(gro, 10, from, nil) }()
	var got [][]byte
	for len(got) < n {
		b := q.take()
		if b == nil {
			select {
			case ok := <-done:
				if !ok {
					t.Fatal("push refused")
				}
				done = nil
			case <-q.ready:
			case <-time.After(testWait):
				t.Fatalf("%d of %d datagrams after %v", len(got), n, testWait)
			}
			continue
		}
		for _, d := range b.datagrams() {
			got = append(got, bytes.Clone(d))
		}
		q.giveBack(b)
	}
	for i, d := range got {
		if len(d) != 10 || d[0] != byte(i) {
			t.Fatalf("datagram %d: %v", i, d)
		}
	}

	// Full again, and the socket closes while a read waits.
	if !q.push(gro[:rxBatchDatagrams*10], 10, from, nil) {
		t.Fatal("push refused")
	}
	stop := make(chan struct{})
	close(stop)
	if q.push([]byte("x"), 0, from, stop) {
		t.Fatal("push into a full batch returned true after stop")
	}
}
