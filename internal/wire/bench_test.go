package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// BenchmarkReadPiece decodes 16 KiB Piece messages from memory with a
// pooled Alloc, so it measures framing and copying only; it must not
// allocate per message.
func BenchmarkReadPiece(b *testing.B) {
	block := bytes.Repeat([]byte{0x5a}, BlockSize)
	var stream []byte
	for i := range 64 {
		stream = AppendMessage(stream, Message{ID: Piece, Index: uint32(i), Begin: 0, Block: block})
	}
	src := bytes.NewReader(stream)
	r := NewReader(src)
	buf := make([]byte, BlockSize) // stands in for a pool: the block is "returned" at once
	r.SetAlloc(func(n int) []byte { return buf[:n] })

	b.SetBytes(int64(len(stream) / 64))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, err := r.ReadMessage()
		if errors.Is(err, io.EOF) {
			src.Reset(stream)
			m, err = r.ReadMessage()
		}
		if err != nil || len(m.Block) != BlockSize {
			b.Fatalf("%v, %d", err, len(m.Block))
		}
	}
}
