package torrentactor

import (
	"fmt"
	"slices"
	"testing"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// peerSetOf makes a set of n peers with keys 1..n; state sets each one's
// flags from a letter: w wants, u unchoked, b both, c closed, l leaving,
// - none.
func peerSetOf(t *testing.T, state string) *peerSet {
	t.Helper()
	s := &peerSet{}
	for i, c := range state {
		k := s.newKey()
		if k != messages.PeerKey(i+1) {
			t.Fatalf("key %d for peer %d", k, i+1)
		}
		p := &peerInfo{key: k, pid: actor.NewPID("local", fmt.Sprint("p", k)), slot: true}
		switch c {
		case 'w':
			p.wants = true
		case 'u':
			p.unchoked = true
		case 'b':
			p.wants, p.unchoked = true, true
		case 'c':
			p.closed = true
		case 'l':
			p.leaving = true
		}
		s.add(p)
	}
	return s
}

func keys(ps []*peerInfo) []messages.PeerKey {
	var out []messages.PeerKey
	for _, p := range ps {
		out = append(out, p.key)
	}
	return out
}

func TestPeerSetExcessAndLeave(t *testing.T) {
	tests := []struct {
		name  string
		state string
		max   int
		want  []messages.PeerKey
	}{
		{"under the limit", "---", 3, nil},
		{"newest first", "----", 2, []messages.PeerKey{4, 3}},
		{"closed and leaving count but are not picked", "--cl-", 3, []messages.PeerKey{5, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := peerSetOf(t, tt.state)
			got := s.excess(tt.max)
			if !slices.Equal(keys(got), tt.want) {
				t.Fatalf("excess = %v, want %v", keys(got), tt.want)
			}
			for _, p := range got {
				if !p.leaving {
					t.Fatalf("peer %d not marked leaving", p.key)
				}
			}
		})
	}
	s := peerSetOf(t, "-cl")
	left := keys(s.leave())
	slices.Sort(left)
	if !slices.Equal(left, []messages.PeerKey{1, 3}) {
		t.Fatalf("leave = %v, want the open ones [1 3]", left)
	}
}

// A peer is found by key and by PID until removed; slots go back once.
func TestPeerSetLookupRemoveSlots(t *testing.T) {
	s := peerSetOf(t, "---")
	p2 := s.get(2)
	if p2 == nil || s.ofPID(p2.pid) != p2 || s.len() != 3 {
		t.Fatal("lookup by key and PID")
	}
	slots := actors.NewSlots(3)
	for range 3 {
		slots.Take()
	}
	s.giveSlot(p2, slots)
	s.giveSlot(p2, slots) // once only
	if slots.Free() != 1 {
		t.Fatalf("free slots %d after giving one twice, want 1", slots.Free())
	}
	k, p, ok := s.remove(p2.pid)
	if !ok || k != 2 || p != p2 || s.get(2) != nil || s.ofPID(p2.pid) != nil || s.len() != 2 {
		t.Fatalf("remove: %v %v %v, len %d", k, p, ok, s.len())
	}
	if _, _, ok := s.remove(p2.pid); ok {
		t.Fatal("removed twice")
	}
	s.giveAllSlots(slots)
	if slots.Free() != 3 {
		t.Fatalf("free slots %d after giving all, want 3", slots.Free())
	}
	if n := s.newKey(); n != 4 {
		t.Fatalf("next key %d, want 4 (keys are never reused)", n)
	}
}

// openAt finds the open connections with an address, not closed ones.
func TestPeerSetOpenAt(t *testing.T) {
	s := peerSetOf(t, "-c-")
	for p := range s.all() {
		p.addr = "10.0.0.1:1"
	}
	s.get(3).addr = "10.0.0.2:1"
	var got []messages.PeerKey
	for p := range s.openAt("10.0.0.1:1") {
		got = append(got, p.key)
	}
	if !slices.Equal(got, []messages.PeerKey{1}) {
		t.Fatalf("openAt = %v, want [1] (2 is closed, 3 elsewhere)", got)
	}
}
