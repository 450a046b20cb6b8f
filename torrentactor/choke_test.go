package torrentactor

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
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

// Two torrents share the session's two upload slots (actors.UploadSlots):
// together they never unchoke more than two of their six interested
// peers, and after the first rounds each has its share, one.
func TestChokerSharesSessionSlots(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t)
		shared := actors.NewUploadSlots(2)
		addrs := []string{"10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1"}
		var pids []*actor.PID
		var fs []*fakePeers
		for i := range 2 {
			f := &fakePeers{up: map[string]bool{}}
			for _, a := range addrs {
				f.up[a] = true
			}
			src := t.TempDir()
			cfg := Config{Meta: makeMeta(t, src, fmt.Sprintf("t%d.bin", i), 100<<10, 16<<10), SavePath: src,
				Flags: messages.FlagSeedMode, PeerProps: f.props, UploadSlots: shared}
			pid := r.torrentWith(cfg, byte(i+1))
			r.waitStatus(pid, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
			pids, fs = append(pids, pid), append(fs, f)
		}
		for _, pid := range pids {
			r.sys.Root.Send(pid, trackerPeers(addrs...))
		}
		synctest.Wait()
		for _, pid := range pids {
			for k := messages.PeerKey(1); k <= 3; k++ {
				r.sys.Root.Send(pid, &messages.PeerInterest{Key: k, Interested: true})
			}
		}
		for i := range 120 {
			advance(time.Second)
			a, b := len(fs[0].unchokedKeys()), len(fs[1].unchokedKeys())
			if a+b > 2 || shared.Used() > 2 {
				t.Fatalf("%ds: unchoked %d and %d (slots held %d) with two session slots", i+1, a, b, shared.Used())
			}
			if i >= 30 && (a != 1 || b != 1) {
				t.Fatalf("%ds: unchoked %d and %d, want one each", i+1, a, b)
			}
		}
	})
}
