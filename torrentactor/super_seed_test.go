package torrentactor

import (
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/peeractor"
	"github.com/asynkron/protoactor-go/actor"
)

// superSeedPeers are fake peers that connect at once and record what the
// torrent's super seeding tells them.
type superSeedPeers struct {
	mu      sync.Mutex
	started map[messages.PeerKey]bool // Config.SuperSeed
	got     map[messages.PeerKey][]messages.SuperSeedPieces
}

func (f *superSeedPeers) props(pc any) *actor.Props {
	c := pc.(peeractor.Config)
	return actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			f.mu.Lock()
			f.started[c.Key] = c.SuperSeed
			f.mu.Unlock()
			ctx.Send(ctx.Parent(), &messages.PeerConnected{Key: c.Key, Addr: c.Addr})
		case *messages.SuperSeedPieces:
			f.mu.Lock()
			f.got[c.Key] = append(f.got[c.Key], *m)
			f.mu.Unlock()
		case *messages.Disconnect:
			ctx.Stop(ctx.Self())
		}
	})
}

// haves are the pieces peer k was told of, in order, and its last
// message.
func (f *superSeedPeers) haves(k messages.PeerKey) ([]int, messages.SuperSeedPieces) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []int
	for _, m := range f.got[k] {
		out = append(out, m.Have...)
	}
	var last messages.SuperSeedPieces
	if n := len(f.got[k]); n > 0 {
		last = f.got[k][n-1]
	}
	return out, last
}

// The torrent applies super seeding's decisions, in virtual time: peers
// start hiding our pieces and are told of two each, different ones; an
// announced piece brings the next; a peer not interested for 10 s gets
// one more each second, an interested one none; off tells every peer,
// and on again starts over with the peers connected.
func TestSuperSeedInVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t)
		f := &superSeedPeers{started: map[messages.PeerKey]bool{}, got: map[messages.PeerKey][]messages.SuperSeedPieces{}}
		src := t.TempDir()
		cfg := Config{Meta: makeMeta(t, src, "a.bin", 8*16<<10, 16<<10), SavePath: src,
			Flags: messages.FlagSeedMode | messages.FlagSuperSeeding, PeerProps: f.props}
		pid := r.torrentWith(cfg, 1)
		r.waitStatus(pid, "super seeding", func(s *messages.TorrentStatus) bool {
			return s.State == messages.StateSeeding && s.SuperSeeding
		})
		r.sys.Root.Send(pid, trackerPeers("10.0.0.1:1", "10.0.0.2:1"))
		synctest.Wait()
		const one, two = messages.PeerKey(1), messages.PeerKey(2)
		h1, _ := f.haves(one)
		h2, _ := f.haves(two)
		if !f.started[one] || !f.started[two] {
			t.Fatalf("peers started hiding our pieces: %v", f.started)
		}
		if len(h1) != 2 || len(h2) != 2 || slices.Contains(h2, h1[0]) || slices.Contains(h2, h1[1]) {
			t.Fatalf("told peer 1 of %v, peer 2 of %v: want two each, different", h1, h2)
		}
		r.sys.Root.Send(pid, &messages.PeerInterest{Key: one, Interested: true})
		r.sys.Root.Send(pid, &messages.PeerHave{Key: one, Piece: h1[0]})
		synctest.Wait()
		after, last := f.haves(one)
		if len(after) != 3 || slices.Contains(h1, after[2]) || slices.Contains(h2, after[2]) {
			t.Fatalf("after its HAVE of %d peer 1 was told of %v", h1[0], after)
		}
		if !slices.Contains(last.Allowed[:], after[2]) || slices.Contains(last.Allowed[:], h1[0]) {
			t.Fatalf("peer 1 may request %v after its HAVE of %d", last.Allowed, h1[0])
		}

		advance(9 * time.Second) // connected at 0 s, not interested since
		if h, _ := f.haves(two); len(h) != 2 {
			t.Fatalf("peer 2 was told of %v before 10 s of disinterest", h)
		}
		advance(2 * time.Second)
		if h, _ := f.haves(two); len(h) < 3 || len(h) > 4 {
			t.Fatalf("peer 2 was told of %v after 11 s of disinterest, want one more each second from 10 s", h)
		}
		if h, _ := f.haves(one); len(h) != 3 {
			t.Fatalf("interested peer 1 was told of more: %v", h)
		}

		r.sys.Root.Send(pid, &messages.SetSuperSeeding{On: false})
		synctest.Wait()
		for _, k := range []messages.PeerKey{one, two} {
			if _, last := f.haves(k); last.On {
				t.Fatalf("peer %d's last message %+v after super seeding ended", k, last)
			}
		}
		if st := r.status(pid); st.SuperSeeding || !st.NeedSaveResume {
			t.Fatalf("status after off: SuperSeeding %v NeedSaveResume %v", st.SuperSeeding, st.NeedSaveResume)
		}
		before, _ := f.haves(one)
		r.sys.Root.Send(pid, &messages.SetSuperSeeding{On: true})
		synctest.Wait()
		h, last := f.haves(one)
		if len(h) != len(before)+2 || !last.On {
			t.Fatalf("on again: peer 1 told of %v (before %v), last %+v", h[len(before):], before, last)
		}
		advance(20 * time.Second) // peer 1 is still interested
		if h2, _ := f.haves(one); len(h2) != len(h) {
			t.Fatalf("interested peer 1 was told of %v more", h2[len(h):])
		}
	})
}
