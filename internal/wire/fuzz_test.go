package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func FuzzReadMessage(f *testing.F) {
	for _, tt := range encodingTests {
		f.Add(AppendMessage(nil, tt.m))
	}
	f.Add([]byte{0, 0, 0, 3, 0, 1}) // bad length, truncated
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Add(append(AppendRequest(nil, 1, 2, 3), AppendKeepAlive(nil)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, pooled := range []bool{false, true} {
			r := NewReader(bytes.NewReader(data))
			r.MaxMessageLen = 1 << 16
			if pooled {
				pool := make([]byte, BlockSize)
				r.SetAlloc(func(n int) []byte {
					if n > len(pool) {
						return nil
					}
					return pool[:n]
				})
			}
			// Every decoded message must re-encode to exactly the bytes it
			// came from, so the concatenation is a prefix of the input.
			var re []byte
			for {
				m, err := r.ReadMessage()
				if err != nil {
					if errors.Is(err, io.EOF) && !bytes.Equal(re, data) {
						t.Fatalf("clean EOF but re-encoding %x != input %x", re, data)
					}
					break
				}
				if !m.KeepAlive && m.ID == Piece && m.Length != uint32(len(m.Block)) {
					t.Fatalf("piece Length %d != len(Block) %d", m.Length, len(m.Block))
				}
				re = AppendMessage(re, m)
				if !bytes.HasPrefix(data, re) {
					t.Fatalf("re-encoding %x is not a prefix of input %x (last %+v)", re, data, m)
				}
			}
		}
	})
}

func FuzzHandshake(f *testing.F) {
	f.Add(sampleHandshake().Append(nil))
	f.Add(Handshake{}.Append(nil))
	f.Add([]byte("\x13BitTorrent protocol"))
	f.Add([]byte("GET / HTTP/1.1\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadHandshake(bytes.NewReader(data))
		ph, perr := ParseHandshake(data)
		if (err == nil) != (perr == nil) || h != ph {
			t.Fatalf("ReadHandshake (%v) and ParseHandshake (%v) disagree", err, perr)
		}
		if err != nil {
			return
		}
		if !bytes.Equal(h.Append(nil), data[:HandshakeLen]) {
			t.Fatalf("re-encoding differs from input")
		}
	})
}
