package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/resume"
)

// TestResumeDataWithoutMetadata: a torrent still fetching its metadata
// saves resume data with its info-hash, name, trackers and peers (no
// pieces); ReadResumeData makes it an info-hash add again, which finds the
// recorded peer, fetches the metadata and downloads.
func TestResumeDataWithoutMetadata(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"m/a.bin": 200_000, "m/b.bin": 3000}, 31)
	ti, err := CreateTorrent(filepath.Join(src, "m"), CreateTorrentOptions{PieceSize: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	seeder, addrs := seedingSession(ctx, t, ti, src)
	_ = seeder

	// Paused: it records the peer but does not fetch yet.
	s := newTestSession(t)
	const tr = "http://127.0.0.1:1/announce"
	h, err := s.AddTorrent(ctx, AddTorrentParams{InfoHash: ti.InfoHash(), Name: "m", SavePath: t.TempDir(),
		Trackers: [][]string{{tr}}, Flags: FlagPaused})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := resume.Decode(rd)
	if err != nil {
		t.Fatal(err)
	}
	if d.InfoHash != ti.InfoHash() || d.Name != "m" || len(d.Peers) != 1 || d.Peers[0].String() != addrs[0] ||
		len(d.Trackers) != 1 || d.Trackers[0][0] != tr || len(d.Pieces) != 0 || len(d.Info) != 0 {
		t.Fatalf("resume data of a magnet torrent: ih %x name %q peers %v trackers %v pieces %d info %d",
			d.InfoHash, d.Name, d.Peers, d.Trackers, len(d.Pieces), len(d.Info))
	}

	p, err := ReadResumeData(rd)
	if err != nil {
		t.Fatal(err)
	}
	if p.TI != nil || p.InfoHash != ti.InfoHash() || p.Name != "m" {
		t.Fatalf("ReadResumeData: TI %v info-hash %s name %q", p.TI, p.InfoHash, p.Name)
	}
	dst := t.TempDir()
	p.SavePath = dst
	p.Flags = 0 // the recorded paused flag is the resume data's; start it
	s2 := newTestSession(t)
	h2, err := s2.AddTorrent(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := h2.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h2, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameTree(src, dst); err != nil {
		t.Fatal(err)
	}
	es, err := h2.Trackers(ctx)
	if err != nil || len(es) != 1 || es[0].URL != tr {
		t.Errorf("trackers from resume data: %v, %v", es, err)
	}
}
