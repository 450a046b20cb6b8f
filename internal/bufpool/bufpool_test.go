package bufpool

import "testing"

func TestGetLengths(t *testing.T) {
	for _, n := range []int{0, 1, 100, BlockSize, BlockSize + 1, 1 << 20} {
		b := Get(n)
		if len(b) != n {
			t.Fatalf("Get(%d) has len %d", n, len(b))
		}
		Put(b)
	}
}

func TestPutForeignBufferIsIgnored(t *testing.T) {
	Put(make([]byte, 10)) // must not poison the pool
	if b := Get(BlockSize); len(b) != BlockSize || cap(b) != BlockSize {
		t.Fatalf("pool handed out a foreign buffer: len %d cap %d", len(b), cap(b))
	}
}
