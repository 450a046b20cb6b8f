package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/actorrent/actorrent"
)

// defaultResumeInterval is how often a changed torrent saves resume data.
const defaultResumeInterval = 5 * time.Second

// finalSaveTimeout bounds the last save, on exit.
const finalSaveTimeout = 5 * time.Second

// resumeStore keeps one torrent's fast-resume data in DIR/<info-hash>.resume,
// written atomically (temporary file, fsync, rename), with the previous
// generation kept as <info-hash>.resume.prev: a crash at any moment leaves
// at least one whole generation behind.
type resumeStore struct {
	path string
}

// defaultResumeDir is under the user's cache directory.
func defaultResumeDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "actorrent", "resume")
	}
	return filepath.Join(os.TempDir(), "actorrent-resume")
}

// openResumeStore prepares dir for ti's resume data. It refuses a dir
// inside savePath: SAVE_PATH holds only the torrent's files.
func openResumeStore(dir, savePath string, ih actorrent.InfoHash) (*resumeStore, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	absSave, err := filepath.Abs(savePath)
	if err != nil {
		return nil, err
	}
	if rel, err := filepath.Rel(absSave, absDir); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return nil, usageErrorf("-resume-dir %s is inside the save path %s", dir, savePath)
	}
	if err := os.MkdirAll(absDir, 0o755); err != nil {
		return nil, fmt.Errorf("resume dir: %w", err)
	}
	return &resumeStore{path: filepath.Join(absDir, ih.String()+".resume")}, nil
}

// load returns the newest generation that reads as resume data, or nil.
func (r *resumeStore) load() []byte {
	for _, p := range []string{r.path, r.path + ".prev"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if _, err := actorrent.ReadResumeData(b); err == nil {
			return b
		}
	}
	return nil
}

// addParams puts the newest resume data kept (if any) into p, an add the
// user asked the demo to run, and reports whether there was some. What the
// user gave wins over what the data remembers: the trackers of the torrent
// file or magnet link join those the data records (by default the
// recorded list replaces them, and a torrent given again with new trackers
// would announce to the old ones only). A torrent the data has paused is
// resumed once added (resumeIfPaused).
func (r *resumeStore) addParams(p *actorrent.AddTorrentParams) bool {
	b := r.load()
	if b == nil {
		return false
	}
	p.ResumeData = b
	p.Flags |= actorrent.FlagMergeResumeTrackers
	return true
}

// resumeIfPaused resumes a torrent that its resume data added paused, and
// says so on log: the demo was asked to run it, and a paused torrent
// neither announces nor connects (a download waits at 0 peers until it is
// killed). Clients save the torrents their user paused so (libtorrent
// writes "paused": 1). Resuming after the add rather than overriding the
// data's flags with FlagOverrideResumeData lets the engine, which decoded
// the data, say whether it was paused, and overrides nothing else.
func resumeIfPaused(ctx context.Context, h actorrent.TorrentHandle, log io.Writer) error {
	st, err := h.Status(ctx)
	if err != nil || !st.Paused {
		return err
	}
	fmt.Fprintf(log, "%s: the resume data had it paused; resuming it\n", st.Name)
	return h.Resume(ctx)
}

// save writes b as the new generation.
func (r *resumeStore) save(b []byte) error {
	dir := filepath.Dir(r.path)
	f, err := os.CreateTemp(dir, filepath.Base(r.path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// The current generation becomes the previous one; a crash
		// between the renames leaves .prev, which load falls back to.
		if rerr := os.Rename(r.path, r.path+".prev"); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = rerr
		}
	}
	if err == nil {
		err = os.Rename(tmp, r.path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("saving resume data: %w", err)
	}
	return syncDir(dir)
}

// syncDir makes the renames in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// resumeSaver saves a torrent's resume data when it changed, at most every
// interval, and once more on exit. It runs inside a watcher's poll loop.
type resumeSaver struct {
	store    *resumeStore
	interval time.Duration
	log      io.Writer
	asked    time.Time // when a save was last requested
	pending  bool      // a save was requested and not answered yet
	err      error     // the last save's failure, reported once
}

// tick asks for a save when something changed and the interval passed.
func (s *resumeSaver) tick(ctx context.Context, w *watcher, st actorrent.TorrentStatus) error {
	if s.pending || !st.NeedSaveResume || checking(st.State) || time.Since(s.asked) < s.interval {
		return nil
	}
	s.asked, s.pending = time.Now(), true
	return w.h.SaveResumeData(ctx, actorrent.SaveResumeSaveInfoDict)
}

// handle takes the answer to a save.
func (s *resumeSaver) handle(w *watcher, a actorrent.Alert) {
	switch a := a.(type) {
	case actorrent.SaveResumeDataAlert:
		if a.Handle.InfoHash() != w.ih {
			return
		}
		s.pending = false
		if err := s.store.save(a.ResumeData); err != nil && s.err == nil {
			s.err = err
			fmt.Fprintf(s.log, "demo: %v\n", err)
		}
	case actorrent.SaveResumeDataFailedAlert:
		if a.Handle.InfoHash() == w.ih {
			s.pending = false
		}
	}
}

// final saves once more before the session closes, waiting for the
// answer at most finalSaveTimeout.
func (s *resumeSaver) final(w *watcher) error {
	ctx, cancel := context.WithTimeout(context.Background(), finalSaveTimeout)
	defer cancel()
	if err := w.h.SaveResumeData(ctx, actorrent.SaveResumeSaveInfoDict); err != nil {
		return err
	}
	s.pending = true
	for s.pending {
		select {
		case a, ok := <-w.alerts:
			if !ok {
				return actorrent.ErrSessionClosed
			}
			s.handle(w, a)
		case <-ctx.Done():
			return fmt.Errorf("saving resume data on exit: %w", ctx.Err())
		}
	}
	return s.err
}

// resumeFlags are -resume-dir and -resume-interval of download and seed.
type resumeFlags struct {
	dir      string
	interval time.Duration
}

func addResumeFlags(fs *flag.FlagSet) *resumeFlags {
	f := &resumeFlags{}
	fs.StringVar(&f.dir, "resume-dir", defaultResumeDir(),
		"keep fast-resume data in `DIR` (never inside SAVE_PATH); \"\" keeps none")
	fs.DurationVar(&f.interval, "resume-interval", defaultResumeInterval, "save resume data at most this often")
	return f
}

// saver returns the resume saver the flags ask for, or nil for none.
func (f *resumeFlags) saver(savePath string, ih actorrent.InfoHash, log io.Writer) (*resumeSaver, error) {
	if f.dir == "" {
		return nil, nil
	}
	if f.interval <= 0 {
		return nil, usageErrorf("-resume-interval %v is not positive", f.interval)
	}
	st, err := openResumeStore(f.dir, savePath, ih)
	if err != nil {
		return nil, err
	}
	return &resumeSaver{store: st, interval: f.interval, log: log}, nil
}
