package sessionactor

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/actorrent/actorrent/diskactor"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/torrentactor"
	"github.com/asynkron/protoactor-go/actor"
)

// A disk job that panics fails with an error: its torrent gets file_error
// (and, as with any failed write, goes to the error state); the session and
// another torrent go on.
func TestDiskJobPanicFailsOnlyItsTorrent(t *testing.T) {
	sys := newSystem(t)
	src := t.TempDir()
	a := makeMeta(t, src, "a.bin", 1<<20+333)
	b := makeMeta(t, src, "b.bin", 700<<10)
	seeder := startSession(t, sys, Config{})
	seeder.seed(a, src)
	seeder.seed(b, src)

	var fired atomic.Bool
	before := func(j any) {
		// The first piece written by the leecher's disk (job types are
		// the disk's own; its name is all a hook outside sees).
		if fmt.Sprintf("%T", j) == "*diskactor.hashWriteJob" && fired.CompareAndSwap(false, true) {
			panic("injected disk fault")
		}
	}
	dst := t.TempDir()
	leecher := startSession(t, sys, Config{DiskBeforeJob: before})
	leecher.add(a, dst, 0)
	leecher.toTorrent(a.InfoHash, &messages.ConnectPeer{Addr: seeder.addr()})

	fe := leecher.waitAlert("file_error", func(al messages.Alert) bool {
		f, ok := al.(*messages.FileErrorAlert)
		return ok && f.InfoHash == a.InfoHash
	}).(*messages.FileErrorAlert)
	if !errors.Is(fe.Error, diskactor.ErrJobFailed) {
		t.Fatalf("file_error err = %v, want ErrJobFailed", fe.Error)
	}
	st := leecher.waitStatus(a.InfoHash, "error state", func(s *messages.TorrentStatus) bool { return s.Error != "" })
	if st.NumPeers != 0 {
		t.Fatalf("torrent in error keeps %d peers", st.NumPeers)
	}

	// Another torrent of the same session downloads with the replaced worker.
	leecher.add(b, dst, 0)
	leecher.toTorrent(b.InfoHash, &messages.ConnectPeer{Addr: seeder.addr()})
	leecher.waitStatus(b.InfoHash, "b finished", func(s *messages.TorrentStatus) bool { return s.IsFinished })
	sameFile(t, filepath.Join(src, "b.bin"), filepath.Join(dst, "b.bin"))
	request(t, sys, leecher.pid, &messages.GetSessionStatus{})
}

// boom is a test message the wrapped torrent actor panics on.
type boom struct{}

// A torrent actor that panics is resumed by the session's strategy and goes
// to the error state with torrent_error; its handle stays valid and
// another torrent finishes its download.
func TestTorrentPanicGoesToErrorState(t *testing.T) {
	sys := newSystem(t)
	src := t.TempDir()
	a := makeMeta(t, src, "a.bin", 1<<20+333)
	b := makeMeta(t, src, "b.bin", 700<<10)
	seeder := startSession(t, sys, Config{})
	seeder.seed(a, src)
	seeder.seed(b, src)

	panicky := func(tc torrentactor.Config) *actor.Props {
		return torrentactor.New(tc).Configure(actor.WithReceiverMiddleware(func(next actor.ReceiverFunc) actor.ReceiverFunc {
			return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
				if _, ok := env.Message.(*boom); ok {
					panic("injected torrent fault")
				}
				next(c, env)
			}
		}))
	}
	dst := t.TempDir()
	leecher := startSession(t, sys, Config{TorrentProps: panicky})
	leecher.add(a, dst, messages.FlagPaused)
	leecher.add(b, dst, 0)
	// a, paused, puts its check off until resumed (as libtorrent)
	leecher.waitStatus(a.InfoHash, "a added", func(s *messages.TorrentStatus) bool { return s.Paused && s.State == messages.StateCheckingFiles })
	leecher.toTorrent(a.InfoHash, &boom{})

	te := leecher.waitAlert("torrent_error", func(al messages.Alert) bool {
		e, ok := al.(*messages.TorrentErrorAlert)
		return ok && e.InfoHash == a.InfoHash
	}).(*messages.TorrentErrorAlert)
	if !errors.Is(te.Error, torrentactor.ErrTorrentActorFailed) {
		t.Fatalf("torrent_error err = %v, want ErrTorrentActorFailed", te.Error)
	}
	if f := request(t, sys, leecher.pid, &messages.FindTorrent{InfoHash: a.InfoHash}).(*messages.FindTorrentReply); f.PID == nil {
		t.Fatal("the failed torrent left the session: its handle is invalid")
	}
	if st := leecher.status(a.InfoHash); st.Error == "" {
		t.Fatalf("failed torrent status has no error: %+v", st)
	}
	// Resuming a torrent in error does not bring peers back.
	leecher.toTorrent(a.InfoHash, &messages.ResumeTorrent{})
	leecher.toTorrent(b.InfoHash, &messages.ConnectPeer{Addr: seeder.addr()})
	leecher.waitStatus(b.InfoHash, "b finished", func(s *messages.TorrentStatus) bool { return s.IsFinished })
	sameFile(t, filepath.Join(src, "b.bin"), filepath.Join(dst, "b.bin"))
	if st := leecher.status(a.InfoHash); st.Error == "" || st.NumPieces != 0 {
		t.Fatalf("failed torrent after resume: error %q, %d pieces", st.Error, st.NumPieces)
	}
}
