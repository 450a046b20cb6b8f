package actorrent

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// faultyStorage is the engine's file storage with injected write and read
// errors: tests switch them on and off and count the writes tried.
type faultyStorage struct {
	Storage
	writeErr, readErr atomic.Pointer[error]
	writes            atomic.Int64
}

func (f *faultyStorage) WriteAt(p []byte, off int64) (int, error) {
	f.writes.Add(1)
	if e := f.writeErr.Load(); e != nil {
		return 0, &os.PathError{Op: "write", Path: "faulty", Err: *e}
	}
	return f.Storage.WriteAt(p, off)
}

func (f *faultyStorage) ReadAt(p []byte, off int64) (int, error) {
	if e := f.readErr.Load(); e != nil {
		return 0, &os.PathError{Op: "read", Path: "faulty", Err: *e}
	}
	return f.Storage.ReadAt(p, off)
}

func (f *faultyStorage) failWrites(err error) { f.writeErr.Store(&err) }
func (f *faultyStorage) failReads(err error)  { f.readErr.Store(&err) }
func (f *faultyStorage) heal()                { f.writeErr.Store(nil); f.readErr.Store(nil) }

// constructor makes f the storage of the torrent it is given to.
func (f *faultyStorage) constructor() StorageConstructor {
	return func(p StorageParams) (Storage, error) {
		st, err := DefaultStorage(p)
		f.Storage = st
		return f, err
	}
}

// seedPayload writes files, makes a torrent of top (64 KiB pieces) and
// seeds it from a new session (on storage ctor when not nil); it returns
// the session's address.
func seedPayload(ctx context.Context, t *testing.T, files map[string]int64, top string, ctor StorageConstructor) (*TorrentInfo, string, string) {
	t.Helper()
	src := t.TempDir()
	writePayload(t, src, files, 11)
	ti, err := CreateTorrent(filepath.Join(src, top), CreateTorrentOptions{PieceSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	seed := newTestSession(t)
	sh, err := seed.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, StorageConstructor: ctor})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, sh, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	addrs, err := seed.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return ti, src, addrs[0]
}

// faultyDownload seeds a 4 MiB torrent from one session and starts a
// download of it in another, on a faulty storage.
func faultyDownload(ctx context.Context, t *testing.T, settings SettingsPack, flags AddTorrentFlags, f *faultyStorage) (*TorrentInfo, string, string, *Session, TorrentHandle) {
	t.Helper()
	ti, src, addr := seedPayload(ctx, t, map[string]int64{"p/a.bin": 3 << 20, "p/b.bin": 1<<20 + 77}, "p", nil)
	s, err := NewSession(ctx, settings)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = s.Close(cctx)
	})
	dst := t.TempDir()
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst, Flags: flags, StorageConstructor: f.constructor()})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, addr); err != nil {
		t.Fatal(err)
	}
	return ti, src, dst, s, h
}

// healAndFinish lifts the faults (and with clearError calls ClearError),
// then waits for the download to finish byte for byte.
func healAndFinish(ctx context.Context, t *testing.T, h TorrentHandle, f *faultyStorage, clearError bool, src, dst string) {
	t.Helper()
	f.heal()
	if clearError {
		if err := h.ClearError(ctx); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameTree(src, dst); err != nil {
		t.Fatal(err)
	}
}

// quiet checks that a broken disk does not turn into a request loop: the
// download goes quiet, a window longer than the peers' once-a-second byte
// reports with no payload received and no write tried, before ctx ends.
// Blocks already on the wire when the disk failed land first, late on a
// busy machine: so this waits for the quiet instead of sleeping a guessed
// time and then asserting that nothing came.
func quiet(ctx context.Context, t *testing.T, h TorrentHandle, f *faultyStorage) {
	t.Helper()
	const window = 1500 * time.Millisecond
	for {
		st0, err := h.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		w0 := f.writes.Load()
		select {
		case <-ctx.Done():
			t.Fatalf("still downloading (%d payload bytes) or writing (%d tries) while the disk fails",
				st0.TotalPayloadDownload, w0)
		case <-time.After(window):
		}
		st1, err := h.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st1.TotalPayloadDownload == st0.TotalPayloadDownload && f.writes.Load() == w0 {
			return
		}
	}
}

// TestDiskFullIsUploadMode: ENOSPC on writes gives file_error and upload
// mode (no error state, no downloading); ClearError brings it back.
func TestDiskFullIsUploadMode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	f := &faultyStorage{}
	f.failWrites(syscall.ENOSPC)
	ti, src, dst, s, h := faultyDownload(ctx, t, testSettings(), 0, f)
	fe := waitAlert(ctx, t, s, "file_error", func(a Alert) bool { _, ok := a.(FileErrorAlert); return ok }).(FileErrorAlert)
	if !errors.Is(fe.Error, syscall.ENOSPC) || fe.Operation != "write" {
		t.Errorf("file_error: %s", fe.Message())
	}
	st := waitFor(ctx, t, h, "upload mode", func(s TorrentStatus) bool { return s.UploadMode })
	if st.Error != "" {
		t.Errorf("a full disk put the torrent in the error state: %s", st.Error)
	}
	quiet(ctx, t, h, f)
	healAndFinish(ctx, t, h, f, true, src, dst)
	_ = ti
}

// TestDiskErrorIsErrorState: EIO on writes is the error state; ClearError
// after the disk heals finishes the download.
func TestDiskErrorIsErrorState(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	f := &faultyStorage{}
	f.failWrites(syscall.EIO)
	_, src, dst, s, h := faultyDownload(ctx, t, testSettings(), 0, f)
	waitAlert(ctx, t, s, "torrent_error", func(a Alert) bool { _, ok := a.(TorrentErrorAlert); return ok })
	// The error state disconnects every peer (they close a moment later).
	waitFor(ctx, t, h, "error state without peers", func(s TorrentStatus) bool { return s.Error != "" && s.NumPeers == 0 })
	quiet(ctx, t, h, f)
	healAndFinish(ctx, t, h, f, true, src, dst)
}

// TestDiskFullRetry: an auto-managed torrent leaves upload mode by itself
// after optimistic_disk_retry; while the disk stays full it tries a
// bounded number of writes each period, and once space is back it
// finishes.
func TestDiskFullRetry(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	settings := testSettings()
	settings.SetInt(OptimisticDiskRetry, 1)
	f := &faultyStorage{}
	f.failWrites(syscall.ENOSPC)
	_, src, dst, s, h := faultyDownload(ctx, t, settings, FlagAutoManaged, f)
	waitAlert(ctx, t, s, "the first file_error", func(a Alert) bool { _, ok := a.(FileErrorAlert); return ok })
	waitFor(ctx, t, h, "upload mode", func(s TorrentStatus) bool { return s.UploadMode })
	// Each retry period that finds the disk still full ends in upload
	// mode again with a file_error alert: count three such periods (an
	// event each, not a guessed duration) and the writes they tried.
	w0 := f.writes.Load()
	const periods = 3
	for range periods {
		waitAlert(ctx, t, s, "file_error of a retry", func(a Alert) bool { _, ok := a.(FileErrorAlert); return ok })
	}
	tried := f.writes.Load() - w0
	t.Logf("%d writes tried in %d retry periods of a full disk", tried, periods)
	// At most a write credit's worth of blocks a period; the period
	// under way when the count was taken may have begun too.
	if tried > (periods+1)*256 {
		t.Errorf("%d writes in %d retry periods: not bounded", tried, periods)
	}
	healAndFinish(ctx, t, h, f, false, src, dst)
}

// TestReadErrorWhileSeeding: EIO reading for a peer is file_error and the
// error state.
func TestReadErrorWhileSeeding(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"r.bin": 1 << 20}, 12)
	ti, err := CreateTorrent(filepath.Join(src, "r.bin"), CreateTorrentOptions{PieceSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	f := &faultyStorage{}
	seed := newTestSession(t)
	sh, err := seed.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, StorageConstructor: f.constructor()})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, sh, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	f.failReads(syscall.EIO)
	addrs, _ := seed.ListenAddrs(ctx)
	dl := newTestSession(t)
	dh, err := dl.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := dh.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	fe := waitAlert(ctx, t, seed, "file_error", func(a Alert) bool { _, ok := a.(FileErrorAlert); return ok }).(FileErrorAlert)
	if fe.Operation != "read" || !errors.Is(fe.Error, syscall.EIO) {
		t.Errorf("file_error: %s", fe.Message())
	}
	waitFor(ctx, t, sh, "error state", func(s TorrentStatus) bool { return s.Error != "" })
}

// TestRealDiskFull fills a small tmpfs for real, where the test may mount
// one: the download goes to upload mode with ENOSPC, and nothing is lost
// of what was written.
func TestRealDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("mounts a tmpfs; skipped with -short")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s)", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, _, addr := seedPayload(ctx, t, map[string]int64{"big.bin": 4 << 20}, "big.bin", nil)
	for _, mode := range []StorageMode{StorageModeSparse, StorageModeAllocate} {
		s := newTestSession(t)
		sub := filepath.Join(dir, StorageModeName(mode))
		h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: sub, StorageMode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.ConnectPeer(ctx, addr); err != nil {
			t.Fatal(err)
		}
		fe := waitAlert(ctx, t, s, "file_error", func(a Alert) bool { _, ok := a.(FileErrorAlert); return ok }).(FileErrorAlert)
		if !errors.Is(fe.Error, syscall.ENOSPC) {
			t.Errorf("%s: file_error %s, want ENOSPC", StorageModeName(mode), fe.Message())
		}
		st := waitFor(ctx, t, h, "upload mode", func(s TorrentStatus) bool { return s.UploadMode })
		if st.Error != "" || st.IsFinished {
			t.Errorf("%s: error %q finished %v", StorageModeName(mode), st.Error, st.IsFinished)
		}
		if err := s.RemoveTorrent(ctx, h, DeleteFiles); err != nil {
			t.Fatal(err)
		}
	}
}

// TestStorageConstructorError: a storage that cannot be made is a
// file_error and the error state, not a hang.
func TestStorageConstructorError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ti, _, s, _ := seededPair(t, ctx)
	s2 := newTestSession(t)
	boom := errors.New("no storage today")
	h, err := s2.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(),
		StorageConstructor: func(StorageParams) (Storage, error) { return nil, boom }})
	if err != nil {
		t.Fatal(err)
	}
	st := waitFor(ctx, t, h, "error state", func(s TorrentStatus) bool { return s.Error != "" })
	fe := waitAlert(ctx, t, s2, "file_error", func(a Alert) bool { _, ok := a.(FileErrorAlert); return ok }).(FileErrorAlert)
	if !errors.Is(fe.Error, boom) {
		t.Errorf("file_error %s; status error %q", fe.Message(), st.Error)
	}
	_ = s
}

// An auto-managed torrent leaves upload mode after optimistic_disk_retry
// whatever put it there, as libtorrent does (here the user).
func TestAutoManagedLeavesUploadMode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	set := testSettings()
	set.SetInt(OptimisticDiskRetry, 2)
	s := newTestSessionWith(t, set)
	ti, src := oneFileTorrent(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Flags: FlagAutoManaged})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(st TorrentStatus) bool { return st.IsSeeding })
	if err := h.SetUploadMode(ctx, true); err != nil {
		t.Fatal(err)
	}
	// The status request follows SetUploadMode to the torrent: it sees the
	// mode (the retry is 2 s away).
	if st, err := h.Status(ctx, 0); err != nil || !st.UploadMode {
		t.Fatalf("not in upload mode after SetUploadMode: %v", err)
	}
	waitFor(ctx, t, h, "out of upload mode", func(st TorrentStatus) bool { return !st.UploadMode })
}
