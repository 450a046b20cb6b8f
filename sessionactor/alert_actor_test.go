package sessionactor

import (
	"testing"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

func spawnAlerts(t *testing.T, cfg AlertConfig) (*actor.ActorSystem, *actor.PID) {
	sys := actors.NewSystem(nil)
	pid := sys.Root.Spawn(NewAlertActor(cfg))
	t.Cleanup(func() {
		_ = sys.Root.StopFuture(pid).Wait()
		sys.Shutdown()
	})
	return sys, pid
}

func pop(t *testing.T, sys *actor.ActorSystem, pid *actor.PID) []messages.Alert {
	t.Helper()
	return request(t, sys, pid, &messages.PopAlerts{}).(*messages.PopAlertsReply).Alerts
}

func whats(as []messages.Alert) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.What()
	}
	return out
}

func TestAlertMaskFilters(t *testing.T) {
	sys, pid := spawnAlerts(t, AlertConfig{Mask: messages.CategoryError})
	post := func(a messages.Alert) { sys.Root.Send(pid, &messages.PostAlert{Alert: a}) }
	post(&messages.PeerErrorAlert{})    // peer: filtered out
	post(&messages.TorrentErrorAlert{}) // error|status: queued
	post(&messages.PieceFinishedAlert{})
	got := whats(pop(t, sys, pid))
	if len(got) != 1 || got[0] != "torrent_error" {
		t.Fatalf("mask error: got %v, want [torrent_error]", got)
	}
	sys.Root.Send(pid, &messages.SetAlertMask{Mask: messages.CategoryPeer})
	post(&messages.PeerErrorAlert{})
	post(&messages.TorrentErrorAlert{})
	got = whats(pop(t, sys, pid))
	if len(got) != 1 || got[0] != "peer_error" {
		t.Fatalf("mask peer: got %v, want [peer_error]", got)
	}
}

// A full queue drops discardable alerts, counts them by type in an
// alerts_dropped alert at the end of the next pop, and keeps the alerts
// libtorrent never drops.
func TestAlertQueueBoundDropsAndKeeps(t *testing.T) {
	sys, pid := spawnAlerts(t, AlertConfig{Mask: messages.CategoryAll, QueueSize: 3})
	post := func(a messages.Alert) { sys.Root.Send(pid, &messages.PostAlert{Alert: a}) }
	for i := range 5 {
		post(&messages.PieceFinishedAlert{PieceIndex: i})
	}
	post(&messages.HashFailedAlert{})
	post(&messages.AddTorrentAlert{}) // not discardable
	got := pop(t, sys, pid)
	want := []string{"piece_finished", "piece_finished", "piece_finished", "add_torrent", "alerts_dropped"}
	if w := whats(got); len(w) != len(want) {
		t.Fatalf("got %v, want %v", w, want)
	} else {
		for i := range want {
			if w[i] != want[i] {
				t.Fatalf("got %v, want %v", w, want)
			}
		}
	}
	for i, a := range got[:3] {
		if p := a.(*messages.PieceFinishedAlert).PieceIndex; p != i {
			t.Fatalf("kept piece_finished %d at %d: the oldest must be kept", p, i)
		}
	}
	d := got[4].(*messages.AlertsDroppedAlert).Dropped
	if len(d) != 2 || d["piece_finished"] != 2 || d["hash_failed"] != 1 {
		t.Fatalf("dropped = %v, want piece_finished:2 hash_failed:1", d)
	}
	if rest := pop(t, sys, pid); len(rest) != 0 {
		t.Fatalf("second pop: %v, want nothing (drops are reported once)", whats(rest))
	}
}
