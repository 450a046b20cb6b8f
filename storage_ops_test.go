package actorrent

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// waitAlert pops alerts until one satisfies ok.
func waitAlert(ctx context.Context, t *testing.T, s *Session, what string, ok func(Alert) bool) Alert {
	t.Helper()
	for {
		alerts, err := s.PopAlerts(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		for _, a := range alerts {
			if ok(a) {
				return a
			}
		}
		if err := s.WaitForAlert(ctx); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
}

func TestMoveStorageAndRenameFile(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, src, s, h := seededPair(t, ctx)
	dst := filepath.Join(t.TempDir(), "moved")
	if err := h.MoveStorage(ctx, dst, AlwaysReplaceFiles); err != nil {
		t.Fatal(err)
	}
	a := waitAlert(ctx, t, s, "storage_moved", func(a Alert) bool {
		_, moved := a.(StorageMovedAlert)
		_, failed := a.(StorageMovedFailedAlert)
		return moved || failed
	})
	if m, ok := a.(StorageMovedAlert); !ok || m.SavePath != dst {
		t.Fatalf("got %s", a.Message())
	}
	if st, _ := h.Status(ctx); st.SavePath != dst || !st.IsSeeding {
		t.Fatalf("after the move: save path %s, seeding %v", st.SavePath, st.IsSeeding)
	}
	if _, err := os.Stat(filepath.Join(dst, "d", "x.bin")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(src, "d")); !os.IsNotExist(err) {
		t.Errorf("the old directory is still there: %v", err)
	}
	// The files are whole at the new place: a recheck finds every piece.
	if err := h.ForceRecheck(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "rechecked", func(s TorrentStatus) bool { return s.IsSeeding })

	// A move onto existing files with FailIfExist fails and moves nothing.
	back := t.TempDir()
	if err := os.MkdirAll(filepath.Join(back, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(back, "d", "y.bin"), []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := h.MoveStorage(ctx, back, FailIfExist); err != nil {
		t.Fatal(err)
	}
	waitAlert(ctx, t, s, "storage_moved_failed", func(a Alert) bool { _, ok := a.(StorageMovedFailedAlert); return ok })
	if st, _ := h.Status(ctx); st.SavePath != dst {
		t.Fatalf("a failed move changed the save path to %s", st.SavePath)
	}

	// Rename x.bin; resume data records it and a new session takes it back.
	if err := h.RenameFile(ctx, 0, filepath.Join("d", "renamed.bin")); err != nil {
		t.Fatal(err)
	}
	ra := waitAlert(ctx, t, s, "file_renamed", func(a Alert) bool {
		_, ok := a.(FileRenamedAlert)
		_, failed := a.(FileRenameFailedAlert)
		return ok || failed
	})
	if _, ok := ra.(FileRenamedAlert); !ok {
		t.Fatalf("got %s", ra.Message())
	}
	if _, err := os.Stat(filepath.Join(dst, "d", "renamed.bin")); err != nil {
		t.Fatal(err)
	}
	if err := h.RenameFile(ctx, 99, "nope"); err != nil {
		t.Fatal(err)
	}
	waitAlert(ctx, t, s, "file_rename_failed", func(a Alert) bool { _, ok := a.(FileRenameFailedAlert); return ok })
	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveTorrent(ctx, h, 0); err != nil {
		t.Fatal(err)
	}
	st, _, _, _ := addWithResume(ctx, t, ti, dst, rd)
	if !st.IsSeeding {
		t.Errorf("with the renamed file from resume data: %d/%d pieces", st.NumPieces, ti.NumPieces())
	}
}
