package sessionactor

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/slotclaim"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/torrentactor"
	"github.com/asynkron/protoactor-go/actor"
)

// statusFake answers status queries with its info-hash, unless silent
// (a torrent that never answers); subscribed, it reports a change on
// every ResumeTorrent until asked ForUpdate.
type statusFake struct {
	ih             messages.InfoHash
	silent, queued bool
	asked          int
}

func (f *statusFake) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *messages.GetTorrentStatus:
		f.asked++
		if m.ForUpdate {
			f.queued = false
		}
		switch {
		case f.silent:
		case m.Claims != nil:
			if m.Claims.Write(m.Index, func() {
				*m.Into = messages.TorrentStatus{InfoHash: f.ih, NumPieces: f.asked, SeedRank: m.SeedRank}
			}) {
				ctx.Respond(&messages.StatusFilled{Index: m.Index})
			}
		default:
			ctx.Respond(&messages.TorrentStatus{InfoHash: f.ih, NumPieces: f.asked})
		}
	case *messages.ResumeTorrent:
		if !f.queued {
			f.queued = true
			ctx.Send(ctx.Parent(), &messages.TorrentStatusChanged{InfoHash: f.ih})
		}
	case *messages.RemoveTorrent:
		ctx.Stop(ctx.Self())
	}
}

// fakeStatusSession starts a session (in a bubble: no sockets) with n
// fake torrents, those in silent never answering; it returns them in
// order.
func fakeStatusSession(t *testing.T, n int, silent map[int]bool) (*actor.ActorSystem, *actor.PID, []messages.InfoHash) {
	t.Helper()
	set, err := settings.Default().With(map[string]any{"listen_interfaces": "", "alert_mask": int(messages.CategoryError)})
	if err != nil {
		t.Fatal(err)
	}
	sys := actors.NewSystem(nil)
	cfg := Config{Settings: set, TrackerClient: noTrackers{}, TorrentProps: func(tc torrentactor.Config) *actor.Props {
		i := int(tc.InfoHash[0])
		return actor.PropsFromProducer(func() actor.Actor { return &statusFake{ih: tc.InfoHash, silent: silent[i]} })
	}}
	pid := sys.Root.Spawn(New(cfg))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := actors.Request(ctx, sys.Root, pid, &messages.CloseSession{}); err != nil {
			t.Errorf("close: %v", err)
		}
		_ = sys.Root.StopFuture(pid).Wait()
		sys.Shutdown()
	})
	var ihs []messages.InfoHash
	for i := range n {
		var ih messages.InfoHash
		ih[0], ih[19] = byte(i), 2
		r := request(t, sys, pid, &messages.AddTorrent{InfoHash: ih, Name: fmt.Sprint(i), SavePath: t.TempDir()})
		if e := r.(*messages.AddTorrentReply).Err; e != nil {
			t.Fatal(e)
		}
		ihs = append(ihs, ih)
	}
	return sys, pid, ihs
}

// The gather answers in the order asked, leaves out unknown torrents, and
// a torrent that never answers holds it only until gatherTimeout.
func TestGatherOrderUnknownAndSilent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys, pid, ihs := fakeStatusSession(t, 6, map[int]bool{4: true})
		var unknown messages.InfoHash
		unknown[0] = 99
		ask := []messages.InfoHash{ihs[3], unknown, ihs[1], ihs[0]}
		r := request(t, sys, pid, &messages.GetTorrentStatuses{InfoHashes: ask}).(*messages.TorrentStatusesReply)
		if len(r.Statuses) != 3 || r.Statuses[0].InfoHash != ihs[3] || r.Statuses[1].InfoHash != ihs[1] || r.Statuses[2].InfoHash != ihs[0] {
			t.Fatalf("asked 3, 99, 1, 0: got %d statuses", len(r.Statuses))
		}
		t0 := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // past gatherTimeout
		defer cancel()
		v, err := actors.Request(ctx, sys.Root, pid, &messages.GetTorrentStatuses{})
		if err != nil {
			t.Fatal(err)
		}
		r = v.(*messages.TorrentStatusesReply)
		if waited := time.Since(t0); len(r.Statuses) != 5 || waited != gatherTimeout {
			t.Fatalf("all six, one silent: %d statuses after %v, want 5 after %v", len(r.Statuses), waited, gatherTimeout)
		}
		for i, s := range r.Statuses {
			if want := ihs[i+i/4]; s.InfoHash != want { // the silent 4th left out
				t.Fatalf("status %d is torrent %d", i, s.InfoHash[0])
			}
		}
	})
}

// With slots, the torrents write into the caller's places, in the
// session's order, through the claims: once they are settled after the
// reply, a silent torrent's slot stays empty, not done, and can no longer
// be written.
func TestGatherIntoSlots(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys, pid, ihs := fakeStatusSession(t, 5, map[int]bool{2: true})
		var slots []messages.TorrentStatus
		var claims *slotclaim.Claims
		alloc := func(n int) ([]*messages.TorrentStatus, *slotclaim.Claims) {
			slots = make([]messages.TorrentStatus, n)
			p := make([]*messages.TorrentStatus, n)
			for i := range slots {
				p[i] = &slots[i]
			}
			claims = slotclaim.New(n)
			return p, claims
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // past gatherTimeout
		defer cancel()
		v, err := actors.Request(ctx, sys.Root, pid, &messages.GetTorrentStatuses{Slots: alloc})
		if err != nil {
			t.Fatal(err)
		}
		r := v.(*messages.TorrentStatusesReply)
		if claims == nil || claims.Len() != 5 || len(slots) != 5 || r.Statuses != nil {
			t.Fatalf("%d slots, %d statuses: want 5, none", len(slots), len(r.Statuses))
		}
		if err := claims.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		for i, ih := range ihs {
			if silent := i == 2; claims.Done(i) == silent || (slots[i].InfoHash == ih) == silent {
				t.Fatalf("slot %d: done %v with torrent %d", i, claims.Done(i), slots[i].InfoHash[0])
			}
		}
		if claims.Write(2, func() { slots[2].InfoHash = ihs[2] }) {
			t.Fatal("the silent torrent's slot could be written after the claims settled")
		}
	})
}

// Only the torrents that reported a change are asked, once each, and
// the alert is posted under an errors-only mask.
func TestPostTorrentUpdatesAsksOnlyChanged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys, pid, ihs := fakeStatusSession(t, 4, nil)
		for _, i := range []int{2, 0, 2} { // 2 reports once
			request(t, sys, pid, &messages.ToTorrent{InfoHash: ihs[i], Msg: &messages.ResumeTorrent{}})
			// The torrents run on the worker pool: each reports before
			// the next is told, or their reports could cross.
			synctest.Wait()
		}
		synctest.Wait()
		request(t, sys, pid, &messages.PostTorrentUpdates{})
		synctest.Wait()
		pop := request(t, sys, pid, &messages.PopAlerts{}).(*messages.PopAlertsReply)
		var got []int
		for _, a := range pop.Alerts {
			if u, ok := a.(*messages.StateUpdateAlert); ok {
				for _, s := range u.Status {
					got = append(got, int(s.InfoHash[0]))
				}
			}
		}
		if fmt.Sprint(got) != "[2 0]" {
			t.Fatalf("state_update of torrents %v, want [2 0] (in the order they changed)", got)
		}
	})
}
