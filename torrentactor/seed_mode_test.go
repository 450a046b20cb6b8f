package torrentactor

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/diskactor"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/resume"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/peeractor"
	"github.com/asynkron/protoactor-go/actor"
)

// seedPeers stand in for peer actors of a torrent in seed mode: each
// "handshakes" at once and records the unverified pieces it started with
// and the PieceVerified answers it gets.
type seedPeers struct {
	mu         sync.Mutex
	unverified map[messages.PeerKey]int
	answers    map[messages.PeerKey][]messages.PieceVerified
	gone       map[messages.PeerKey]bool
}

func (f *seedPeers) props(pc any) *actor.Props {
	c := pc.(peeractor.Config)
	f.mu.Lock()
	f.unverified[c.Key] = c.Unverified.Count()
	f.mu.Unlock()
	return actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ctx.Send(ctx.Parent(), &messages.PeerConnected{Key: c.Key, Addr: c.Addr})
		case *messages.PieceVerified:
			f.mu.Lock()
			f.answers[c.Key] = append(f.answers[c.Key], *m)
			f.mu.Unlock()
		case *messages.Disconnect:
			f.mu.Lock()
			f.gone[c.Key] = true
			f.mu.Unlock()
			ctx.Send(ctx.Parent(), &messages.PeerClosed{Key: c.Key, Addr: c.Addr, Err: m.Err})
			ctx.Stop(ctx.Self())
		}
	})
}

func (f *seedPeers) answersOf(k messages.PeerKey) []messages.PieceVerified {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.answers[k])
}

// seedRig is a torrent of seedPieces pieces under its own disk, which
// counts the pieces it hashes for seed mode and for checks.
type seedRig struct {
	*rig
	pid     *actor.PID
	peers   *seedPeers
	save    string
	verify  atomic.Int32 // one-piece hash jobs (DiskVerifyPiece)
	checks  atomic.Int32 // check jobs (a run of pieces each)
	payload []byte
	mi      *metainfo.MetaInfo
}

const (
	seedPieces   = 7
	seedPieceLen = 16 << 10
)

type faultNamer interface{ FaultName() string }

// startSeedTorrent adds the payload under save with cfg (its Meta, save
// path, peers and disk are filled in).
func (r *seedRig) startSeedTorrent(cfg Config, id byte) *actor.PID {
	disk := r.sys.Root.Spawn(diskactor.New(diskactor.Config{
		Settings: withSettings(map[string]any{"hashing_threads": 2}),
		BeforeJob: func(j any) {
			switch j.(faultNamer).FaultName() {
			case "hash":
				r.verify.Add(1)
			case "check":
				r.checks.Add(1)
			}
		},
	}))
	copy(cfg.PeerID[:], "-TT0000-test-peer-00")
	cfg.PeerID[19] = id
	cfg.SavePath, cfg.PeerProps = r.save, r.peers.props
	cfg.Session, cfg.Disk, cfg.Alerts = r.alerts, disk, r.alerts
	pid := r.sys.Root.Spawn(New(cfg))
	r.stop = append(r.stop, disk, pid)
	return pid
}

func newSeedRig(t *testing.T, flags messages.AddTorrentFlags) *seedRig {
	r := &seedRig{rig: newRig(t), save: t.TempDir(),
		peers: &seedPeers{unverified: map[messages.PeerKey]int{}, answers: map[messages.PeerKey][]messages.PieceVerified{}, gone: map[messages.PeerKey]bool{}}}
	r.mi = makeMeta(t, r.save, "a.bin", seedPieces*seedPieceLen-1000, seedPieceLen)
	var err error
	if r.payload, err = os.ReadFile(filepath.Join(r.save, "a.bin")); err != nil {
		t.Fatal(err)
	}
	r.pid = r.startSeedTorrent(Config{Meta: r.mi, Flags: flags}, 1)
	return r
}

// corrupt flips a byte of piece p on disk.
func (r *seedRig) corrupt(p int) {
	r.t.Helper()
	b := bytes.Clone(r.payload)
	b[p*seedPieceLen+100] ^= 0x5a
	r.payload = b
	if err := os.WriteFile(filepath.Join(r.save, "a.bin"), b, 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// connect gives the torrent a peer (key order: 1, 2, ...).
func (r *seedRig) connect(addr string) {
	r.sys.Root.Send(r.pid, trackerPeers(addr))
	synctest.Wait()
}

// ask asks, as peer k, for piece p to be verified, and returns its
// answers so far once everything settled.
func (r *seedRig) ask(k messages.PeerKey, p int) []messages.PieceVerified {
	r.sys.Root.Send(r.pid, &messages.VerifyPiece{Key: k, Piece: p})
	synctest.Wait()
	return r.peers.answersOf(k)
}

func (r *seedRig) alertsOf(ok func(messages.Alert) bool) []messages.Alert {
	r.sink.mu.Lock()
	defer r.sink.mu.Unlock()
	var out []messages.Alert
	for _, a := range r.sink.alerts {
		if ok(a) {
			out = append(out, a)
		}
	}
	return out
}

func (r *seedRig) readPieceAlerts() []*messages.ReadPieceAlert {
	var out []*messages.ReadPieceAlert
	for _, a := range r.alertsOf(func(a messages.Alert) bool { _, ok := a.(*messages.ReadPieceAlert); return ok }) {
		out = append(out, a.(*messages.ReadPieceAlert))
	}
	return out
}

func pv(p int, ok bool) messages.PieceVerified { return messages.PieceVerified{Piece: p, OK: ok} }

// Seed mode reads nothing at the start; each piece is hashed on its first
// request (a peer's or ReadPiece's) and never again; once every piece
// passed, seed mode ends (status, and the peers are told), the torrent
// still a seed.
func TestSeedModeVerifiesEachPieceOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newSeedRig(t, messages.FlagSeedMode)
		st := r.waitStatus(r.pid, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
		if !st.SeedMode || st.NumPieces != seedPieces || r.checks.Load() != 0 || r.verify.Load() != 0 {
			t.Fatalf("seed_mode %v, %d pieces, %d check and %d hash jobs: want seed mode, every piece, nothing read",
				st.SeedMode, st.NumPieces, r.checks.Load(), r.verify.Load())
		}
		r.connect("10.0.0.1:1")
		if n := r.peers.unverified[1]; n != seedPieces {
			t.Fatalf("a peer starts with %d unverified pieces, want %d", n, seedPieces)
		}
		r.sys.Root.Send(r.pid, &messages.VerifyPiece{Key: 1, Piece: 0})
		if got := r.ask(1, 0); !slices.Equal(got, []messages.PieceVerified{pv(0, true), pv(0, true)}) {
			t.Fatalf("answers %v", got)
		}
		if n := r.verify.Load(); n != 1 {
			t.Fatalf("piece 0 hashed %d times for two requests, want once", n)
		}
		r.sys.Root.Send(r.pid, &messages.ReadPiece{Piece: 0})
		r.sys.Root.Send(r.pid, &messages.ReadPiece{Piece: 1})
		synctest.Wait()
		reads := r.readPieceAlerts()
		if len(reads) != 2 || r.verify.Load() != 2 {
			t.Fatalf("%d read_piece alerts, %d hashes: want 2 and 2 (piece 1 hashed before its read)", len(reads), r.verify.Load())
		}
		for _, a := range reads {
			if a.Error != nil || !bytes.Equal(a.Buffer, r.payload[a.Piece*seedPieceLen:][:seedPieceLen]) {
				t.Fatalf("read_piece %d: error %v, %d bytes", a.Piece, a.Error, len(a.Buffer))
			}
		}
		// A reader's read (TorrentHandle.Reader) waits for the hash too.
		rd := r.request(&messages.ReadData{Piece: 2, Begin: 10, Length: 100}).(*messages.DiskReadReply)
		if rd.Err != nil || !bytes.Equal(rd.Data, r.payload[2*seedPieceLen+10:][:100]) || r.verify.Load() != 3 {
			t.Fatalf("reader's read: %v, %d bytes, %d hashes: want piece 2's bytes after its hash", rd.Err, len(rd.Data), r.verify.Load())
		}
		if st := r.status(r.pid); !st.SeedMode || st.VerifiedPieces.Count() != 3 || !st.VerifiedPieces.Has(2) {
			t.Fatalf("seed_mode %v, verified_pieces %v: want seed mode, pieces 0 to 2", st.SeedMode, st.VerifiedPieces.Indices())
		}
		r.connect("10.0.0.2:1")
		if n := r.peers.unverified[2]; n != seedPieces-3 {
			t.Fatalf("a later peer starts with %d unverified pieces, want %d", n, seedPieces-3)
		}
		for p := 1; p < seedPieces; p++ {
			r.ask(1, p)
		}
		got := r.peers.answersOf(1)
		want := []messages.PieceVerified{pv(0, true), pv(0, true)}
		for p := 1; p < seedPieces; p++ {
			want = append(want, pv(p, true))
		}
		want = append(want, pv(-1, true)) // the last piece ends seed mode
		if !slices.Equal(got, want) {
			t.Fatalf("answers %v, want %v", got, want)
		}
		if a := r.peers.answersOf(2); !slices.Equal(a, []messages.PieceVerified{pv(-1, true)}) {
			t.Fatalf("the other peer heard %v, want that all is verified", a)
		}
		st = r.status(r.pid)
		if st.SeedMode || st.VerifiedPieces.Len() != 0 || st.State != messages.StateSeeding || r.verify.Load() != seedPieces || r.checks.Load() != 0 {
			t.Fatalf("seed_mode %v state %v, %d hashes %d checks: want a seed out of seed mode, each piece hashed once",
				st.SeedMode, st.State, r.verify.Load(), r.checks.Load())
		}
		// Out of seed mode, a question is answered at once from what is had.
		if got := r.ask(1, 3); got[len(got)-1] != pv(3, true) || r.verify.Load() != seedPieces {
			t.Fatalf("after seed mode: %v, %d hashes", got[len(got)-1], r.verify.Load())
		}
	})
}

// A piece that fails its hash: its waiters hear it failed (a ReadPiece an
// error), hash_failed is posted, the peers are disconnected and the files
// checked again: the pieces verified are trusted (a byte changed in one
// since is not seen), the others hashed, and the torrent has what passed.
func TestSeedModeFailedPieceChecksFiles(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newSeedRig(t, messages.FlagSeedMode)
		r.corrupt(3)
		r.waitStatus(r.pid, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
		r.connect("10.0.0.1:1")
		if got := r.ask(1, 0); !slices.Equal(got, []messages.PieceVerified{pv(0, true)}) {
			t.Fatalf("answers %v", got)
		}
		r.corrupt(0) // after its hash: trusted from now on
		// The read comes after the peer's request: it waits for the hash
		// or, if the result came first, finds the piece not had.
		r.sys.Root.Send(r.pid, &messages.VerifyPiece{Key: 1, Piece: 3})
		r.sys.Root.Send(r.pid, &messages.ReadPiece{Piece: 3})
		synctest.Wait()
		if got := r.peers.answersOf(1); !slices.Equal(got, []messages.PieceVerified{pv(0, true), pv(3, false)}) {
			t.Fatalf("answers %v, want piece 3 failed", got)
		}
		failed := r.alertsOf(func(a messages.Alert) bool { _, ok := a.(*messages.HashFailedAlert); return ok })
		if len(failed) != 1 || failed[0].(*messages.HashFailedAlert).PieceIndex != 3 {
			t.Fatalf("hash_failed alerts %v, want one for piece 3", failed)
		}
		if reads := r.readPieceAlerts(); len(reads) != 1 || reads[0].Error == nil {
			t.Fatalf("read_piece of the failed piece: %+v, want an error", reads)
		}
		r.peers.mu.Lock()
		gone := r.peers.gone[1]
		r.peers.mu.Unlock()
		if !gone {
			t.Fatal("the peer is still connected during the check")
		}
		st := r.waitStatus(r.pid, "checked", func(s *messages.TorrentStatus) bool { return s.State == messages.StateDownloading })
		if st.SeedMode || st.NumPieces != seedPieces-1 {
			t.Fatalf("seed_mode %v with %d pieces after the check, want %d", st.SeedMode, st.NumPieces, seedPieces-1)
		}
		pieces := r.request(&messages.GetPieces{}).(*messages.PiecesReply)
		for p, ok := range pieces.Have {
			if ok != (p != 3) {
				t.Fatalf("have %v: want every piece but 3 (0 was verified)", pieces.Have)
			}
		}
	})
}

// request asks the torrent and returns the answer.
func (r *seedRig) request(m any) any {
	r.t.Helper()
	f := r.sys.Root.RequestFuture(r.pid, m, time.Minute)
	v, err := f.Result()
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

// ForceRecheck leaves seed mode and hashes every piece.
func TestSeedModeForceRecheckLeavesIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newSeedRig(t, messages.FlagSeedMode)
		r.waitStatus(r.pid, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
		r.sys.Root.Send(r.pid, &messages.ForceRecheck{})
		synctest.Wait()
		st := r.waitStatus(r.pid, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
		if st.SeedMode || r.checks.Load() == 0 {
			t.Fatalf("seed_mode %v after a recheck of %d check jobs", st.SeedMode, r.checks.Load())
		}
	})
}

// Resume data keeps seed mode and the verified bit (0x2) of each piece:
// a torrent added with it is in seed mode without the flag and hashes
// only the pieces not verified before. Resume data wins over the flag:
// without seed_mode in it, the flag is ignored.
func TestSeedModeResumeData(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newSeedRig(t, messages.FlagSeedMode)
		r.waitStatus(r.pid, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
		r.connect("10.0.0.1:1")
		r.ask(1, 0)
		r.ask(1, 2)
		data := r.saveResume()
		d, err := resume.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		if want := []byte{3, 1, 3, 1, 1, 1, 1}; !d.SeedMode || !bytes.Equal(d.Pieces, want) {
			t.Fatalf("saved seed_mode %v pieces %v, want seed mode and %v", d.SeedMode, d.Pieces, want)
		}
		tests := []struct {
			name     string
			seedMode bool // in the resume data
			flags    messages.AddTorrentFlags
			want     bool
		}{
			{"resume data in seed mode, no flag", true, 0, true},
			{"resume data not in seed mode, with the flag", false, messages.FlagSeedMode, false},
		}
		for i, tt := range tests {
			func() {
				rd := *d
				rd.SeedMode = tt.seedMode
				b, err := rd.Encode()
				if err != nil {
					t.Fatal(tt.name, err)
				}
				before := r.verify.Load()
				pid := r.startSeedTorrent(Config{Meta: r.mi, Flags: tt.flags, ResumeData: b}, byte(2+i))
				st := r.waitStatus(pid, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
				if st.SeedMode != tt.want {
					t.Fatalf("%s: seed_mode %v, want %v", tt.name, st.SeedMode, tt.want)
				}
				if !tt.want {
					return
				}
				r.sys.Root.Send(pid, &messages.ReadPiece{Piece: 2})
				synctest.Wait()
				if n := r.verify.Load() - before; n != 0 {
					t.Fatalf("%s: piece 2, verified before, hashed %d times", tt.name, n)
				}
				r.sys.Root.Send(pid, &messages.ReadPiece{Piece: 1})
				synctest.Wait()
				if n := r.verify.Load() - before; n != 1 {
					t.Fatalf("%s: piece 1, not verified before, hashed %d times, want 1", tt.name, n)
				}
			}()
		}
	})
}

// saveResume asks for resume data and returns it.
func (r *seedRig) saveResume() []byte {
	r.t.Helper()
	n := len(r.alertsOf(isSaveResume))
	r.sys.Root.Send(r.pid, &messages.SaveResumeData{})
	synctest.Wait()
	saved := r.alertsOf(isSaveResume)
	if len(saved) != n+1 {
		r.t.Fatalf("%d save_resume_data alerts, want %d", len(saved), n+1)
	}
	return saved[n].(*messages.SaveResumeDataAlert).ResumeData
}

func isSaveResume(a messages.Alert) bool { _, ok := a.(*messages.SaveResumeDataAlert); return ok }
