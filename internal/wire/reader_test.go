package wire

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"reflect"
	"testing"
	"testing/iotest"
)

// strictReader serves data and records any Read call made after it has
// been drained, to prove a decoder did not try to read further.
type strictReader struct {
	data     []byte
	overread bool
}

func (r *strictReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		r.overread = true
		return 0, errors.New("strictReader: read past end")
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// decodeAll reads messages until a clean end of stream.
func decodeAll(t *testing.T, r *Reader) []Message {
	t.Helper()
	var out []Message
	for {
		m, err := r.ReadMessage()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("after %d messages: %v", len(out), err)
		}
		out = append(out, m)
	}
}

func TestReaderRoundTripAll(t *testing.T) {
	var stream []byte
	var want []Message
	for _, tt := range encodingTests {
		b, _ := hex.DecodeString(tt.hex)
		stream = append(stream, b...)
		want = append(want, tt.m)
	}
	readers := map[string]func(io.Reader) io.Reader{
		"plain":   func(r io.Reader) io.Reader { return r },
		"onebyte": iotest.OneByteReader,
		"half":    iotest.HalfReader,
		"dataerr": iotest.DataErrReader,
	}
	for name, wrap := range readers {
		t.Run(name, func(t *testing.T) {
			got := decodeAll(t, NewReader(wrap(bytes.NewReader(stream))))
			if len(got) != len(want) {
				t.Fatalf("decoded %d messages, want %d", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("%s: got %+v, want %+v", encodingTests[i].name, got[i], want[i])
				}
				if re := AppendMessage(nil, got[i]); hex.EncodeToString(re) != encodingTests[i].hex {
					t.Errorf("%s: re-encoded %x", encodingTests[i].name, re)
				}
			}
		})
	}
}

func TestReaderOversizeDoesNotReadBody(t *testing.T) {
	tests := []struct {
		name   string
		max    uint32
		length uint32
	}{
		{"default limit", DefaultMaxMessageLen, DefaultMaxMessageLen + 1},
		{"huge", DefaultMaxMessageLen, 0xffffffff},
		{"custom limit", 100, 101},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &strictReader{data: binary.BigEndian.AppendUint32(nil, tt.length)}
			r := NewReader(src)
			r.MaxMessageLen = tt.max
			_, err := r.ReadMessage()
			if !errors.Is(err, ErrMessageTooLong) {
				t.Fatalf("err = %v", err)
			}
			if src.overread {
				t.Fatal("reader tried to read the body of an oversized message")
			}
		})
	}
	// Exactly at the limit is accepted.
	r := NewReader(bytes.NewReader(AppendMessage(nil, Message{ID: 99, Payload: make([]byte, 99)})))
	r.MaxMessageLen = 100
	if _, err := r.ReadMessage(); err != nil {
		t.Fatalf("at limit: %v", err)
	}
}

func TestReaderBadLength(t *testing.T) {
	frame := func(id byte, payload ...byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(1+len(payload)))
		return append(append(b, id), payload...)
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"choke with payload", frame(0, 1)},
		{"have all with payload", frame(14, 1, 2)},
		{"have short", frame(4, 1, 2, 3)},
		{"have long", frame(4, 1, 2, 3, 4, 5)},
		{"suggest short", frame(13)},
		{"allowed fast long", frame(17, 0, 0, 0, 0, 0)},
		{"request short", frame(6, make([]byte, 11)...)},
		{"cancel long", frame(8, make([]byte, 13)...)},
		{"reject short", frame(16, make([]byte, 8)...)},
		{"port short", frame(9, 1)},
		{"piece no header", frame(7, 1, 2, 3, 4, 5, 6, 7)},
		{"extended empty", frame(20)},
	}
	next := AppendHave(nil, 77)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(append(append([]byte(nil), tt.in...), next...)))
			if _, err := r.ReadMessage(); !errors.Is(err, ErrBadLength) {
				t.Fatalf("err = %v, want ErrBadLength", err)
			}
			// The bad body was skipped: the stream is still framed.
			m, err := r.ReadMessage()
			if err != nil || m.ID != Have || m.Index != 77 {
				t.Fatalf("next message: %+v, %v", m, err)
			}
		})
	}
}

func TestReaderTruncated(t *testing.T) {
	full := AppendMessage(nil, Message{ID: Piece, Index: 1, Begin: 2, Block: []byte("hello")})
	for cut := 1; cut < len(full); cut++ {
		r := NewReader(bytes.NewReader(full[:cut]))
		if _, err := r.ReadMessage(); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("cut at %d: err = %v", cut, err)
		}
	}
	// Truncated bad-length body reports the cut, not the bad length.
	r := NewReader(bytes.NewReader([]byte{0, 0, 0, 3, 0, 1}))
	if _, err := r.ReadMessage(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated bad length: err = %v", err)
	}
	r = NewReader(bytes.NewReader(nil))
	if _, err := r.ReadMessage(); err == nil || !errors.Is(err, io.EOF) {
		t.Fatalf("empty: err = %v", err)
	}
}

func TestReaderKeepAlive(t *testing.T) {
	in := append(AppendKeepAlive(AppendKeepAlive(nil)), AppendHave(nil, 1)...)
	got := decodeAll(t, NewReader(bytes.NewReader(in)))
	want := []Message{{KeepAlive: true}, {KeepAlive: true}, {ID: Have, Index: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
}

func TestReaderAlloc(t *testing.T) {
	block := bytes.Repeat([]byte("z"), BlockSize)
	in := AppendMessage(nil, Message{ID: Piece, Index: 3, Begin: BlockSize, Block: block})
	in = AppendMessage(in, Message{ID: Piece, Index: 3, Begin: 0, Block: block[:100]})
	in = AppendMessage(in, Message{ID: BitfieldMsg, Bitfield: []byte{0xff}})

	pool := make([]byte, BlockSize)
	var calls []int
	r := NewReader(bytes.NewReader(in))
	r.SetAlloc(func(n int) []byte {
		calls = append(calls, n)
		return pool
	})
	m, err := r.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	if &m.Block[0] != &pool[0] || len(m.Block) != BlockSize || m.Length != BlockSize || !bytes.Equal(m.Block, block) {
		t.Fatal("first block not read into the allocated buffer")
	}
	m, err = r.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	if &m.Block[0] != &pool[0] || len(m.Block) != 100 || m.Length != 100 {
		t.Fatalf("second block: len %d, pooled %v", len(m.Block), &m.Block[0] == &pool[0])
	}
	m, err = r.ReadMessage()
	if err != nil || &m.Bitfield[0] == &pool[0] {
		t.Fatalf("bitfield must not use Alloc: %v", err)
	}
	if !reflect.DeepEqual(calls, []int{BlockSize, 100}) {
		t.Fatalf("alloc calls %v", calls)
	}
}

func TestReaderAllocTooSmallFallsBack(t *testing.T) {
	in := AppendMessage(nil, Message{ID: Piece, Block: []byte("abcdef")})
	r := NewReader(bytes.NewReader(in))
	r.SetAlloc(func(int) []byte { return make([]byte, 2) })
	m, err := r.ReadMessage()
	if err != nil || string(m.Block) != "abcdef" {
		t.Fatalf("got %q, %v", m.Block, err)
	}
}

func TestReaderCallerOwnsPayloads(t *testing.T) {
	// Payloads must not alias the internal buffer: reading the next message
	// must not change an earlier one.
	in := AppendMessage(nil, Message{ID: BitfieldMsg, Bitfield: []byte{1, 2, 3}})
	in = AppendMessage(in, Message{ID: Extended, ExtendedID: 1, Payload: []byte("abc")})
	in = AppendMessage(in, Message{ID: 42, Payload: []byte("xyz")})
	in = AppendMessage(in, Message{ID: BitfieldMsg, Bitfield: []byte{9, 9, 9}})
	got := decodeAll(t, NewReader(bytes.NewReader(in)))
	if !bytes.Equal(got[0].Bitfield, []byte{1, 2, 3}) || string(got[1].Payload) != "abc" || string(got[2].Payload) != "xyz" {
		t.Fatalf("payloads clobbered: %+v", got)
	}
}

func TestReaderUnderlyingError(t *testing.T) {
	boom := errors.New("boom")
	r := NewReader(iotest.ErrReader(boom))
	if _, err := r.ReadMessage(); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestReaderReadMessageAllocs(t *testing.T) {
	msgs := AppendRequest(nil, 1, 2, 3)
	msgs = AppendHave(msgs, 4)
	msgs = AppendKeepAlive(msgs)
	msgs = AppendMessage(msgs, Message{ID: Unchoke})
	src := bytes.NewReader(msgs)
	r := NewReader(src)
	allocs := testing.AllocsPerRun(100, func() {
		src.Reset(msgs)
		for range 4 {
			if _, err := r.ReadMessage(); err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs != 0 {
		t.Fatalf("fixed-size messages allocate: %v", allocs)
	}
}

// Ready says a whole message is buffered, never more.
func TestReaderReady(t *testing.T) {
	var stream []byte
	stream = AppendMessage(stream, Message{ID: Interested})
	stream = AppendHave(stream, 7)
	pr, pw := io.Pipe()
	r := NewReader(pr)
	if r.Ready() {
		t.Fatal("ready with nothing buffered")
	}
	go func() { _, _ = pw.Write(stream[:len(stream)-2]) }() // the have cut short
	if m, err := r.ReadMessage(); err != nil || m.ID != Interested {
		t.Fatalf("first message %+v %v", m, err)
	}
	if r.Ready() {
		t.Fatal("ready with a partial have buffered")
	}
	go func() { _, _ = pw.Write(stream[len(stream)-2:]) }()
	if m, err := r.ReadMessage(); err != nil || m.ID != Have || m.Index != 7 {
		t.Fatalf("second message %+v %v", m, err)
	}
	// A refused length is ready: ReadMessage fails without reading on.
	r2 := NewReader(bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff}))
	r2.MaxMessageLen = 1 << 20
	if _, err := r2.br.Peek(4); err != nil {
		t.Fatal(err)
	}
	if !r2.Ready() {
		t.Fatal("an oversized prefix is not ready")
	}
}
