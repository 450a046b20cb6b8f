package actorrent

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/resume"
	"github.com/actorrent/actorrent/internal/wire"
)

// superSeedPeer is a raw peer of a super seed that records what it hears.
type superSeedPeer struct {
	*hostilePeer
	name string
	fast bool
}

// dialSuperSeed connects a raw peer, with the fast extension or without.
func dialSuperSeed(t *testing.T, name, addr string, fast bool, hp hostilePayload) superSeedPeer {
	t.Helper()
	var hs wire.Handshake
	if fast {
		hs.Reserved[wire.ReservedFastByte] |= wire.ReservedFastBit
	}
	return superSeedPeer{dialHostileWith(t, addr, "", hs, hp.ti, hp.data), name, fast}
}

// readTo reads until stop holds for a message and returns the HAVEs read
// before it and the IDs of every other message.
func (p superSeedPeer) readTo(what string, stop func(wire.Message) bool) (haves []int, ids []wire.MessageID) {
	p.t.Helper()
	for {
		m, err := p.r.ReadMessage()
		if err != nil {
			p.t.Fatalf("%s: reading until %s: %v (haves so far %v)", p.name, what, err, haves)
		}
		switch {
		case m.KeepAlive:
		case stop(m):
			return haves, ids
		case m.ID == wire.Have:
			haves = append(haves, int(m.Index))
		default:
			ids = append(ids, m.ID)
		}
	}
}

// opening reads what a super seed says first: no bitfield, have_all or
// allowed-fast set (have_none with the fast extension), then two HAVEs.
func (p superSeedPeer) opening() []int {
	p.t.Helper()
	var haves []int
	_, ids := p.readTo("two HAVEs", func(m wire.Message) bool {
		if !m.KeepAlive && m.ID == wire.Have {
			haves = append(haves, int(m.Index))
			return len(haves) == 2
		}
		return false
	})
	for _, id := range ids {
		if id == wire.BitfieldMsg || id == wire.HaveAll || id == wire.AllowedFast {
			p.t.Fatalf("%s: a super seed sent %s before its HAVEs (%v)", p.name, id, ids)
		}
	}
	if p.fast != slices.Contains(ids, wire.HaveNone) {
		p.t.Fatalf("%s: fast extension %v, opening messages %v", p.name, p.fast, ids)
	}
	return haves
}

func isID(id wire.MessageID) func(wire.Message) bool {
	return func(m wire.Message) bool { return !m.KeepAlive && m.ID == id }
}

// A super seed, seen on the wire: have_none (or nothing), two HAVEs,
// requests for other pieces rejected, the next HAVE when the piece is
// announced (by the peer itself, or with strict_super_seeding by another
// peer too), and the full picture when super seeding ends.
func TestSuperSeedWire(t *testing.T) {
	t.Parallel()
	for _, strict := range []bool{false, true} {
		t.Run(map[bool]string{false: "own HAVE", true: "strict"}[strict], func(t *testing.T) {
			t.Parallel()
			superSeedWire(t, strict)
		})
	}
}

func superSeedWire(t *testing.T, strict bool) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	hp := makeHostilePayload(t, 8*16<<10, 16<<10)
	set := testSettings()
	set.SetBool(StrictSuperSeeding, strict)
	s := newTestSessionWith(t, set)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: hp.ti, SavePath: hp.src, Flags: FlagSuperSeeding})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "super seeding", func(st TorrentStatus) bool { return st.IsSeeding && st.SuperSeeding })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}

	r := dialSuperSeed(t, "R", addrs[0], true, hp)
	ab := r.opening()
	a := ab[0]
	hidden := 0
	for hidden == ab[0] || hidden == ab[1] {
		hidden++
	}
	if err := r.send(wire.Message{ID: wire.Request, Index: uint32(hidden), Length: 16 << 10}); err != nil {
		t.Fatal(err)
	}
	if haves, _ := r.readTo("the reject", isID(wire.Reject)); len(haves) > 0 {
		t.Fatalf("HAVEs %v before the reject", haves)
	}

	// With strict_super_seeding a lone peer's own HAVE is enough
	// (libtorrent's rule): Y joins first.
	var y superSeedPeer
	var cd []int
	if strict {
		y = dialSuperSeed(t, "Y", addrs[0], true, hp)
		cd = y.opening()
		if slices.Contains(ab, cd[0]) || slices.Contains(ab, cd[1]) {
			t.Fatalf("Y was told of %v, R's pieces %v are free for no one else", cd, ab)
		}
	}

	// R announces piece a. Our answers to its HAVE and to its interest
	// (the unchoke) leave in that order: what comes before the unchoke
	// is all its HAVE brought.
	if err := r.send(wire.Message{ID: wire.Have, Index: uint32(a)}, wire.Message{ID: wire.Interested}); err != nil {
		t.Fatal(err)
	}
	haves, _ := r.readTo("the unchoke", isID(wire.Unchoke))
	switch {
	case strict && len(haves) != 0:
		t.Fatalf("strict: R's own HAVE of %d brought HAVEs %v", a, haves)
	case !strict && (len(haves) != 1 || slices.Contains(ab, haves[0])):
		t.Fatalf("R's HAVE of %d brought HAVEs %v, want one new piece (it had %v)", a, haves, ab)
	}
	told := append(ab, haves...)

	others := []superSeedPeer{}
	if strict {
		// Y announces a too: the piece was passed on, R gets the next.
		if err := y.send(wire.Message{ID: wire.Have, Index: uint32(a)}, wire.Message{ID: wire.Interested}); err != nil {
			t.Fatal(err)
		}
		m, err := r.readUntil(isID(wire.Have))
		if err != nil {
			t.Fatal(err)
		}
		if e := int(m.Index); slices.Contains(ab, e) || slices.Contains(cd, e) {
			t.Fatalf("after Y's HAVE of %d, R was told of %d (R had %v, Y %v)", a, e, ab, cd)
		}
		told = append(told, int(m.Index))
		others = append(others, y)
	} else {
		// Without the fast extension: no bitfield, the HAVEs.
		n := dialSuperSeed(t, "N", addrs[0], false, hp)
		n.opening()
		if err := n.send(wire.Message{ID: wire.Interested}); err != nil {
			t.Fatal(err)
		}
		others = append(others, n)
	}
	t.Logf("R was told of %v", told)

	// Off: everyone gets the full picture, and nothing else before it.
	if err := h.SuperSeeding(ctx, false); err != nil {
		t.Fatal(err)
	}
	if haves, _ := r.readTo("have_all", isID(wire.HaveAll)); len(haves) > 0 {
		t.Fatalf("R got HAVEs %v after %v, before have_all", haves, told)
	}
	for _, o := range others {
		if o.fast {
			if haves, _ := o.readTo("have_all", isID(wire.HaveAll)); len(haves) > 0 {
				t.Fatalf("%s got HAVEs %v before have_all", o.name, haves)
			}
			continue
		}
		m, err := o.readUntil(isID(wire.BitfieldMsg))
		if err != nil {
			t.Fatal(err)
		}
		if all := o.allHave(); string(m.Bitfield) != string(all.Bitfield) {
			t.Fatalf("%s: bitfield %x after super seeding, want %x", o.name, m.Bitfield, all.Bitfield)
		}
	}
	// Any piece may be asked for now.
	if err := r.send(wire.Message{ID: wire.Request, Index: uint32(hidden), Length: 16 << 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.readUntil(isID(wire.Piece)); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "super seeding off", func(st TorrentStatus) bool { return !st.SuperSeeding })
}

// superSeedingKey reads super_seeding from resume data.
func superSeedingKey(t *testing.T, rd []byte) bool {
	t.Helper()
	d, err := resume.Decode(rd)
	if err != nil {
		t.Fatal(err)
	}
	return d.SuperSeeding
}

// Only a seed super seeds: the flag on an incomplete torrent is turned
// off by the check; the switch turned on while downloading is kept (in
// status and resume data) and acts once the torrent is a seed; resume
// data brings it back.
func TestSuperSeedOnlyASeed(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	hp := makeHostilePayload(t, 8*16<<10, 16<<10)
	_, seedAddrs := seedingSession(ctx, t, hp.ti, hp.src)

	d := newTestSession(t)
	dst := t.TempDir()
	h, err := d.AddTorrent(ctx, AddTorrentParams{TI: hp.ti, SavePath: dst, Flags: FlagSuperSeeding})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "checked, not a seed", func(st TorrentStatus) bool { return st.State == Downloading })
	if st, err := h.Status(ctx); err != nil || st.SuperSeeding {
		t.Fatalf("an incomplete torrent added super seeding: SuperSeeding %v (%v)", st.SuperSeeding, err)
	}
	if rd, _, err := saveResume(ctx, t, d, h, 0); err != nil || superSeedingKey(t, rd) {
		t.Fatalf("resume data of an incomplete torrent says super_seeding (%v)", err)
	}

	if err := h.SuperSeeding(ctx, true); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "the switch on", func(st TorrentStatus) bool { return st.SuperSeeding && st.NeedSaveResume })
	if err := h.ConnectPeer(ctx, seedAddrs[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding, super seeding", func(st TorrentStatus) bool { return st.IsSeeding && st.SuperSeeding })
	checkSameTree(t, hp.src, dst)
	addrs, err := d.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dialSuperSeed(t, "R", addrs[0], true, hp).opening() // acting now

	rd, _, err := saveResume(ctx, t, d, h, 0)
	if err != nil || !superSeedingKey(t, rd) {
		t.Fatalf("resume data of a super seed lacks super_seeding (%v)", err)
	}
	e := newTestSession(t)
	h2, err := e.AddTorrent(ctx, AddTorrentParams{TI: hp.ti, SavePath: dst, ResumeData: rd})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h2, "super seeding from resume data", func(st TorrentStatus) bool { return st.IsSeeding && st.SuperSeeding })
	eAddrs, err := e.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dialSuperSeed(t, "R2", eAddrs[0], true, hp).opening()
}
