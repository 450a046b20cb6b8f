package actorrent

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent/supervisor"
)

// faultRig is a seeder with two torrents (a and b) and a leecher session
// created with a fault plan: the fault tests' common ground. Every fault
// test ends with both torrents downloaded byte for byte (goleak in
// TestMain then checks that nothing was left running).
type faultRig struct {
	t          *testing.T
	ctx        context.Context
	src, dst   string
	a, b       *TorrentInfo
	seeder     *Session
	seederAddr string
	leecher    *Session
	alerts     *alertLog
}

// newFaultRig seeds both torrents and starts a leecher with plan. A failed
// peer is tried again after a second (min_reconnect_time), so that
// reconnects take a test no longer than that.
func newFaultRig(t *testing.T, plan supervisor.Plan) *faultRig {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	r := &faultRig{t: t, ctx: ctx, src: t.TempDir(), dst: t.TempDir()}
	writePayload(t, r.src, map[string]int64{"a.bin": 3<<20 + 333, "b.bin": 1<<20 + 77}, 7)
	r.a = mustCreate(t, filepath.Join(r.src, "a.bin"))
	r.b = mustCreate(t, filepath.Join(r.src, "b.bin"))
	seederSettings := testSettings()
	seederSettings.SetInt(MinReconnectTime, 1) // it dials the leecher in the listener tests
	r.seeder = newTestSessionWith(t, seederSettings)
	for _, ti := range []*TorrentInfo{r.a, r.b} {
		h, err := r.seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: r.src})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	}
	addrs, err := r.seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.seederAddr = addrs[0]
	r.leecher, r.alerts = faultSession(t, plan)
	return r
}

// faultCase is one row of a table of fault tests: a rule whose Kind and
// Action the table fills in.
type faultCase struct {
	name string
	rule supervisor.Rule
}

// eachFault runs body in a subtest per case, on a rig whose plan is that
// case's rule, of kind and doing action.
func eachFault(t *testing.T, kind supervisor.Kind, action supervisor.Action, cases []faultCase, body func(*testing.T, *faultRig)) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.rule.Kind, c.rule.Action = kind, action
			body(t, newFaultRig(t, supervisor.Plan{Rules: []supervisor.Rule{c.rule}}))
		})
	}
}

// faultSession starts a session with a fault plan and a log of every
// alert it posts.
func faultSession(t *testing.T, plan supervisor.Plan) (*Session, *alertLog) {
	t.Helper()
	return faultSessionWith(t, plan, testSettings())
}

// faultSessionWith is faultSession with settings (min_reconnect_time set
// to a second).
func faultSessionWith(t *testing.T, plan supervisor.Plan, settings SettingsPack) (*Session, *alertLog) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	settings.SetInt(MinReconnectTime, 1)
	s, err := NewSession(ctx, settings, WithFaults(plan))
	if err != nil {
		t.Fatal(err)
	}
	log := &alertLog{wake: make(chan struct{}, 1)}
	// A subscription ends (its channel closes) with the session.
	ch, err := s.Subscribe(context.Background(), CategoryAll)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for a := range ch {
			log.add(a)
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s, log
}

func mustCreate(t *testing.T, path string) *TorrentInfo {
	t.Helper()
	ti, err := CreateTorrent(path, CreateTorrentOptions{PieceSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	return ti
}

// add adds ti to the leecher and waits until it downloads (checked).
func (r *faultRig) add(ti *TorrentInfo) TorrentHandle {
	r.t.Helper()
	h, err := r.leecher.AddTorrent(r.ctx, AddTorrentParams{TI: ti, SavePath: r.dst})
	if err != nil {
		r.t.Fatal(err)
	}
	waitFor(r.ctx, r.t, h, "checked", func(s TorrentStatus) bool { return s.State == Downloading || s.Error != "" })
	return h
}

// connect points h at the seeder.
func (r *faultRig) connect(h TorrentHandle) {
	r.t.Helper()
	if err := h.ConnectPeer(r.ctx, r.seederAddr); err != nil {
		r.t.Fatal(err)
	}
}

// finish waits until h is finished and its file is byte-identical to the
// seed's.
func (r *faultRig) finish(h TorrentHandle, ti *TorrentInfo) {
	r.t.Helper()
	waitFor(r.ctx, r.t, h, ti.Name()+" finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameFile(filepath.Join(r.src, ti.Name()), filepath.Join(r.dst, ti.Name())); err != nil {
		r.t.Fatal(err)
	}
}

// clearErrorAndFinish waits for h's error, clears it and waits for the
// download to finish byte for byte (ClearError resumes a failed torrent).
func (r *faultRig) clearErrorAndFinish(h TorrentHandle, ti *TorrentInfo) {
	r.t.Helper()
	waitFor(r.ctx, r.t, h, "error", func(s TorrentStatus) bool { return s.Error != "" })
	if err := h.ClearError(r.ctx); err != nil {
		r.t.Fatal(err)
	}
	r.connect(h) // the error dropped the peers
	r.finish(h, ti)
}

// sameFile compares two files byte for byte.
func sameFile(a, b string) error {
	x, err := os.ReadFile(a)
	if err != nil {
		return err
	}
	y, err := os.ReadFile(b)
	if err != nil {
		return err
	}
	if !bytes.Equal(x, y) {
		return fmt.Errorf("%s and %s differ", a, b)
	}
	return nil
}

// alertLog keeps every alert a session dispatched.
type alertLog struct {
	mu     sync.Mutex
	alerts []Alert
	wake   chan struct{}
}

func (l *alertLog) add(a Alert) {
	l.mu.Lock()
	l.alerts = append(l.alerts, a)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// wait returns the first alert that satisfies ok, waiting for it (up to
// ctx) as alerts come.
func (l *alertLog) wait(ctx context.Context, t *testing.T, what string, ok func(Alert) bool) Alert {
	t.Helper()
	for {
		l.mu.Lock()
		for _, a := range l.alerts {
			if ok(a) {
				l.mu.Unlock()
				return a
			}
		}
		l.mu.Unlock()
		select {
		case <-l.wake:
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// count counts the alerts that satisfy ok.
func (l *alertLog) count(ok func(Alert) bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, a := range l.alerts {
		if ok(a) {
			n++
		}
	}
	return n
}

// actorFailed waits for an actor_failed alert of kind.
func (r *faultRig) actorFailed(kind supervisor.Kind) ActorFailedAlert {
	r.t.Helper()
	return r.alerts.wait(r.ctx, r.t, "actor_failed of "+string(kind), func(a Alert) bool {
		f, ok := a.(ActorFailedAlert)
		return ok && f.Kind == string(kind)
	}).(ActorFailedAlert)
}

// errorIs waits for a torrent alert of h whose error wraps target.
func (r *faultRig) errorIs(h TorrentHandle, target error) Alert {
	r.t.Helper()
	return r.alerts.wait(r.ctx, r.t, target.Error(), func(a Alert) bool {
		ta, ok := a.(TorrentAlert)
		if !ok || ta.TorrentHandle().InfoHash() != h.InfoHash() {
			return false
		}
		return errors.Is(alertError(a), target)
	})
}

// alertError is the error an alert carries, if any.
func alertError(a Alert) error {
	switch a := a.(type) {
	case TorrentErrorAlert:
		return a.Error
	case FileErrorAlert:
		return a.Error
	case PeerErrorAlert:
		return a.Error
	case PeerDisconnectedAlert:
		return a.Error
	}
	return nil
}
