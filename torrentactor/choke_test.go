package torrentactor

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/messages"
)

func (f *fakePeers) unchokedKeys() []messages.PeerKey {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []messages.PeerKey
	for k, u := range f.unchoked {
		if u {
			out = append(out, k)
		}
	}
	return out
}

// The choker's rounds in the torrent, in virtual time: with two slots
// (one regular, one optimistic) and five interested peers, never more
// than two are unchoked; the peer that sends us data keeps the regular
// slot (tit for tat); the optimistic slot rotates through the others
// every optimistic_unchoke_interval; when nobody is interested any more,
// everyone is choked.
func TestChokerRoundsInVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var addrs []string
		for i := 1; i <= 5; i++ {
			addrs = append(addrs, fmt.Sprintf("10.0.0.%d:1", i))
		}
		cfg := Config{Settings: withSettings(map[string]any{"unchoke_slots_limit": 2})}
		r, pid, f := peerListRig(t, cfg, addrs...)
		r.sys.Root.Send(pid, trackerPeers(addrs...))
		synctest.Wait()
		for k := messages.PeerKey(1); k <= 5; k++ {
			r.sys.Root.Send(pid, &messages.PeerInterest{Key: k, Interested: true})
		}
		synctest.Wait()
		if u := f.unchokedKeys(); len(u) != 2 {
			t.Fatalf("unchoked %v with two slots, want two", u)
		}
		const giver = messages.PeerKey(4)
		turns := map[messages.PeerKey]int{}
		for i := range 300 {
			// The giver sends us 100 kB a second (stats come every second).
			r.sys.Root.Send(pid, &messages.PeerStats{Key: giver, PayloadDownload: 100_000})
			advance(time.Second)
			u := f.unchokedKeys()
			if len(u) > 2 {
				t.Fatalf("%ds: unchoked %v with two slots", i+1, u)
			}
			held := false
			for _, k := range u {
				turns[k]++
				held = held || k == giver
			}
			// From the first regular round after it started giving (15 s).
			if i >= 15 && !held {
				t.Fatalf("%ds: the giver lost its slot: unchoked %v", i+1, u)
			}
		}
		// Five minutes, a rotation every 30 s: each of the four others
		// had the optimistic slot at least twice (60 s).
		for k := messages.PeerKey(1); k <= 5; k++ {
			if k != giver && turns[k] < 60 {
				t.Fatalf("turns (seconds unchoked) %v: peer %d had too few", turns, k)
			}
		}
		for k := messages.PeerKey(1); k <= 5; k++ {
			r.sys.Root.Send(pid, &messages.PeerInterest{Key: k, Interested: false})
		}
		advance(time.Minute)
		if u := f.unchokedKeys(); len(u) != 0 {
			t.Fatalf("unchoked %v with nobody interested", u)
		}
	})
}

// The session's unchoke_slots_limit, set at runtime, reaches the choker at
// once: more slots unchoke more peers without waiting for a round.
func TestChokerTakesNewSlotLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		addrs := []string{"10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1", "10.0.0.4:1"}
		cfg := Config{Settings: withSettings(map[string]any{"unchoke_slots_limit": 1})}
		r, pid, f := peerListRig(t, cfg, addrs...)
		r.sys.Root.Send(pid, trackerPeers(addrs...))
		synctest.Wait()
		for k := messages.PeerKey(1); k <= 4; k++ {
			r.sys.Root.Send(pid, &messages.PeerInterest{Key: k, Interested: true})
		}
		synctest.Wait()
		if u := f.unchokedKeys(); len(u) != 1 {
			t.Fatalf("unchoked %v with one slot", u)
		}
		r.sys.Root.Send(pid, &messages.SettingsChanged{Settings: withSettings(map[string]any{"unchoke_slots_limit": -1})})
		synctest.Wait()
		if u := f.unchokedKeys(); len(u) != 4 {
			t.Fatalf("unchoked %v with unlimited slots, want all four", u)
		}
	})
}
