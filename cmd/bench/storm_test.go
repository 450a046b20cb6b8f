package main

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/actorrent/actorrent/internal/wire"
)

// decodeAll reads every message of b; it fails the test on a partial one.
func decodeAll(t *testing.T, b []byte) []wire.Message {
	t.Helper()
	r := wire.NewReader(bytes.NewReader(b))
	var ms []wire.Message
	for {
		m, err := r.ReadMessage()
		if errors.Is(err, io.EOF) {
			return ms
		}
		if err != nil {
			t.Fatalf("after %d messages: %v", len(ms), err)
		}
		ms = append(ms, m)
	}
}

// sameMessage compares what the wire carries (a decoded message has
// fields an encoded one leaves zero, and the other way round).
func sameMessage(a, b wire.Message) bool {
	return bytes.Equal(wire.AppendMessage(nil, a), wire.AppendMessage(nil, b))
}

func TestPlanStorm(t *testing.T) {
	toggles := []wire.Message{{ID: wire.Interested}, {ID: wire.NotInterested}}
	cases := []struct {
		name     string
		msgs     []wire.Message
		n, min   int
		perChunk int
		full     int
		tailMsgs int
	}{
		{"keep-alives, exact chunks", []wire.Message{{KeepAlive: true}}, 40, 16, 4, 10, 0},
		{"keep-alives, a tail", []wire.Message{{KeepAlive: true}}, 42, 16, 4, 10, 2},
		{"toggles: whole cycles per chunk", toggles, 13, 11, 4, 3, 1},
		{"fewer messages than a chunk", toggles, 3, 100, 20, 0, 3},
		{"a chunk of one cycle at least", toggles, 5, 0, 2, 2, 1},
		{"none", toggles, 0, 10, 2, 0, 0},
		{"nothing to repeat", nil, 10, 10, 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := planStorm(c.msgs, c.n, c.min)
			if p.perChunk != c.perChunk || p.full != c.full || p.tailMsgs != c.tailMsgs {
				t.Fatalf("perChunk=%d full=%d tailMsgs=%d, want %d %d %d", p.perChunk, p.full, p.tailMsgs, c.perChunk, c.full, c.tailMsgs)
			}
			if len(c.msgs) == 0 {
				return
			}
			if p.messages() != c.n {
				t.Errorf("messages() = %d, want %d", p.messages(), c.n)
			}
			if len(p.chunk) < c.min {
				t.Errorf("chunk of %d bytes, want at least %d", len(p.chunk), c.min)
			}
			// What the writes carry, decoded, is msgs repeated in order,
			// n messages and not one more.
			var all []byte
			for range p.full {
				all = append(all, p.chunk...)
			}
			all = append(all, p.tail...)
			got := decodeAll(t, all)
			if len(got) != c.n {
				t.Fatalf("the writes hold %d messages, want %d", len(got), c.n)
			}
			for i, m := range got {
				if want := c.msgs[i%len(c.msgs)]; !sameMessage(m, want) {
					t.Fatalf("message %d is %v, want %v", i, m, want)
				}
			}
		})
	}
}

// The storms are hostile_bounded_test.go's; what keeps them comparable
// across sides is that each is valid BEP 3 for its torrent until the end.
func TestStormsAreValidForTheirTorrent(t *testing.T) {
	for _, s := range storms {
		pieces := stormSize / stormPieceLength
		if s.bitfieldTorrent {
			pieces = bitfieldPieces
		}
		for _, m := range s.msgs {
			switch m.ID {
			case wire.Have, wire.Cancel:
				if int(m.Index) >= pieces {
					t.Errorf("%s: %v of piece %d, past the torrent's %d", s.name, m.ID, m.Index, pieces)
				}
			case wire.BitfieldMsg:
				if len(m.Bitfield) != (pieces+7)/8 {
					t.Errorf("%s: a bitfield of %d bytes for %d pieces", s.name, len(m.Bitfield), pieces)
				}
				if bytes.Equal(m.Bitfield, bytes.Repeat([]byte{0xff}, len(m.Bitfield))) {
					t.Errorf("%s: a bitfield of every piece (a seed drops a seed)", s.name)
				}
			}
		}
	}
	names := map[string]bool{}
	for _, s := range storms {
		if names[s.name] {
			t.Errorf("two storms named %q", s.name)
		}
		names[s.name] = true
	}
	if want := []string{"keepalive", "interest", "choke", "have", "cancel", "bitfield"}; !reflect.DeepEqual(stormNames(), want) {
		t.Errorf("storms %v, want %v", stormNames(), want)
	}
}

func stormNames() []string {
	var ns []string
	for _, s := range storms {
		ns = append(ns, s.name)
	}
	return ns
}
