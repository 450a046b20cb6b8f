package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func sampleHandshake() Handshake {
	var h Handshake
	h.Reserved[ReservedExtensionByte] |= ReservedExtensionBit
	h.Reserved[ReservedFastByte] |= ReservedFastBit
	for i := range h.InfoHash {
		h.InfoHash[i] = byte(i)
		h.PeerID[i] = byte(0xa0 + i)
	}
	return h
}

func TestHandshakeRoundTrip(t *testing.T) {
	h := sampleHandshake()
	var buf bytes.Buffer
	if err := WriteHandshake(&buf, h); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	if len(raw) != HandshakeLen || raw[0] != 19 || string(raw[1:20]) != Protocol {
		t.Fatalf("bad encoding %q", raw)
	}
	if !bytes.Equal(raw, h.Append(nil)) {
		t.Fatal("Append and WriteHandshake differ")
	}
	readers := map[string]func(io.Reader) io.Reader{
		"plain":   func(r io.Reader) io.Reader { return r },
		"onebyte": iotest.OneByteReader,
		"half":    iotest.HalfReader,
	}
	for name, wrap := range readers {
		t.Run(name, func(t *testing.T) {
			// Trailing bytes must stay unread for the message Reader.
			src := bytes.NewReader(append(append([]byte(nil), raw...), 0xEE))
			got, err := ReadHandshake(wrap(src))
			if err != nil {
				t.Fatal(err)
			}
			if got != h {
				t.Fatalf("got %+v, want %+v", got, h)
			}
			if src.Len() != 1 {
				t.Fatalf("ReadHandshake consumed %d trailing bytes", 1-src.Len())
			}
		})
	}
	if !h.SupportsExtended() || !h.SupportsFast() || h.SupportsDHT() {
		t.Fatal("reserved bit helpers wrong")
	}
}

func TestReadHandshakeErrors(t *testing.T) {
	good := sampleHandshake().Append(nil)
	mut := func(i int, v byte) []byte {
		b := append([]byte(nil), good...)
		b[i] = v
		return b
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, io.EOF},
		{"short prefix", good[:10], io.ErrUnexpectedEOF},
		{"short body", good[:40], io.ErrUnexpectedEOF},
		{"prefix only", good[:20], io.ErrUnexpectedEOF},
		{"bad pstrlen", mut(0, 18), ErrBadProtocol},
		{"bad pstr", mut(5, 'X'), ErrBadProtocol},
		{"http", []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), ErrBadProtocol},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadHandshake(bytes.NewReader(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			_, perr := ParseHandshake(tt.in)
			if perr == nil {
				t.Fatal("ParseHandshake accepted bad input")
			}
		})
	}
}

func TestReadHandshakeStopsEarlyOnBadProtocol(t *testing.T) {
	// Only 20 bytes are available and the reader fails afterwards: a bad
	// prefix must be reported without waiting for the other 48 bytes.
	in := append([]byte{19}, []byte("BitTorrent protocoX")...)
	r := &strictReader{data: in}
	if _, err := ReadHandshake(r); !errors.Is(err, ErrBadProtocol) {
		t.Fatalf("err = %v", err)
	}
	if r.overread {
		t.Fatal("read past the protocol prefix")
	}
}

type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestWriteHandshakeError(t *testing.T) {
	if err := WriteHandshake(errWriter{}, Handshake{}); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("err = %v", err)
	}
}
