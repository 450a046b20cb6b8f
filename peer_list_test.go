package actorrent

import (
	"context"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/resume"
)

// The peer list survives resume data: the peers and banned peers it
// records come back on load, the banned one is never connected to (not
// even when asked), and both are saved again.
func TestResumeDataPeersAndBannedPeers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, src, s, h := seededPair(t, ctx)
	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := resume.Decode(rd)
	if err != nil {
		t.Fatal(err)
	}
	// Port 1 on loopback refuses: the peer fails once and stays listed.
	known, banned := netip.MustParseAddrPort("127.0.0.1:1"), netip.MustParseAddrPort("127.0.0.2:7")
	d.Peers, d.BannedPeers = []netip.AddrPort{known}, []netip.AddrPort{banned}
	if rd, err = d.Encode(); err != nil {
		t.Fatal(err)
	}
	st, _, s2, h2 := addWithResume(ctx, t, ti, src, rd)
	if st.ListPeers != 1 {
		t.Fatalf("list_peers = %d, want 1 (the banned peer does not count)", st.ListPeers)
	}
	if err := h2.ConnectPeer(ctx, banned.String()); err != nil {
		t.Fatal(err)
	}
	if st := waitFor(ctx, t, h2, "status", func(TorrentStatus) bool { return true }); st.ListPeers != 1 {
		t.Fatalf("list_peers = %d after connecting a banned peer, want 1", st.ListPeers)
	}
	rd2, alerts, err := saveResume(ctx, t, s2, h2, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if pc, ok := a.(PeerConnectAlert); ok && pc.Endpoint == banned.String() {
			t.Fatalf("connected to the banned peer: %+v", pc)
		}
	}
	d2, err := resume.Decode(rd2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d2.Peers, []netip.AddrPort{known}) || !slices.Equal(d2.BannedPeers, []netip.AddrPort{banned}) {
		t.Fatalf("saved peers %v banned %v, want [%v] and [%v]", d2.Peers, d2.BannedPeers, known, banned)
	}
}
