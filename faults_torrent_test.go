package actorrent

import (
	"testing"

	"github.com/actorrent/actorrent/supervisor"
)

// A torrent actor that fails goes to the error state (torrent_error,
// ErrTorrentActorFailed) with its handle valid; the session and another
// torrent go on, and ClearError resumes it (its files checked again) to a
// byte-identical download. Torrents own no goroutine (their sockets are
// their peers', their files the disk's).
func TestFaultTorrentPanicThenClearError(t *testing.T) {
	r := newFaultRig(t, supervisor.Plan{Rules: []supervisor.Rule{
		{Kind: supervisor.KindTorrent, Message: "BlocksReceived", Nth: 5, Action: supervisor.ActionPanic},
	}})
	ha := r.add(r.a)
	r.connect(ha)
	r.errorIs(ha, ErrTorrentActorFailed)
	if !ha.IsValid(r.ctx) {
		t.Fatal("the failed torrent's handle is invalid")
	}
	al := r.actorFailed(supervisor.KindTorrent)
	if al.Directive != "resume" || !al.Injected {
		t.Fatalf("actor_failed = %+v", al)
	}
	hb := r.add(r.b)
	r.connect(hb)
	r.finish(hb, r.b)
	r.clearErrorAndFinish(ha, r.a)
}

// A peer actor that fails (in Receive, or in one of its connection's
// goroutines: dial, reader, writer) is dropped with peer_error
// (ErrPeerActorFailed) and connected to again from the peer list; the
// download finishes byte for byte.
func TestFaultPeerPanics(t *testing.T) {
	eachFault(t, supervisor.KindPeer, supervisor.ActionPanic, []faultCase{
		{"receive", supervisor.Rule{Message: "BlocksAssigned", Nth: 3}},
		{"dial", supervisor.Rule{Site: supervisor.SiteDial, Nth: 1}},
		{"reader", supervisor.Rule{Site: supervisor.SiteReader, Message: "piece", Nth: 20}},
		{"writer", supervisor.Rule{Site: supervisor.SiteWriter, Nth: 2}},
	}, func(t *testing.T, r *faultRig) {
		ha, hb := r.add(r.a), r.add(r.b)
		r.connect(ha)
		r.errorIs(ha, ErrPeerActorFailed)
		if al := r.actorFailed(supervisor.KindPeer); al.Directive != "stop" || !al.Injected {
			t.Fatalf("actor_failed = %+v", al)
		}
		r.finish(ha, r.a) // reconnected after min_reconnect_time
		r.connect(hb)
		r.finish(hb, r.b)
	})
}

// A reset connection ends the peer (peer_disconnected with
// ErrConnectionReset); the torrent connects again and finishes.
func TestFaultConnectionReset(t *testing.T) {
	r := newFaultRig(t, supervisor.Plan{Rules: []supervisor.Rule{
		{Kind: supervisor.KindPeer, Message: "BlocksAssigned", Nth: 3, Action: supervisor.ActionResetConnection},
	}})
	ha := r.add(r.a)
	r.connect(ha)
	r.errorIs(ha, ErrConnectionReset)
	r.finish(ha, r.a)
	st, _ := r.leecher.SupervisionStatus(r.ctx)
	if k := st.Kinds[supervisor.KindPeer]; k.ByAction["reset_connection"] != 1 || k.Failures != 0 {
		t.Fatalf("peer counters %+v", k)
	}
}

// A torrent added by info-hash that fails while it fetches its metadata
// goes to the error state; ClearError takes it back to fetching, and it
// downloads.
func TestFaultTorrentPanicWhileFetchingMetadata(t *testing.T) {
	r := newFaultRig(t, supervisor.Plan{Rules: []supervisor.Rule{
		{Kind: supervisor.KindTorrent, Message: "PeerExtHandshake", Nth: 1, Action: supervisor.ActionPanic},
	}})
	h, err := r.leecher.AddTorrent(r.ctx, AddTorrentParams{InfoHash: r.a.InfoHash(), SavePath: r.dst})
	if err != nil {
		t.Fatal(err)
	}
	r.connect(h)
	r.errorIs(h, ErrTorrentActorFailed)
	r.clearErrorAndFinish(h, r.a)
}
