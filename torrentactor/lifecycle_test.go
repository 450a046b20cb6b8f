package torrentactor

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/messages"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/lifecycle.golden")

var (
	t0      = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	errDisk = errors.New("disk")
)

// lifeStates are the lifecycles a torrent can be in, by name.
var lifeStates = []struct {
	name string
	l    lifecycle
}{
	{"checking", lifecycle{state: messages.StateCheckingFiles}},
	{"checking-deferred", lifecycle{state: messages.StateCheckingFiles, paused: true, checkDeferred: true}},
	{"metadata", lifecycle{phase: phaseMetadata, state: messages.StateDownloadingMetadata}},
	{"downloading", lifecycle{phase: phaseActive, state: messages.StateDownloading}},
	{"seeding", lifecycle{phase: phaseActive, state: messages.StateSeeding, finished: true}},
	{"paused", lifecycle{phase: phaseActive, state: messages.StateDownloading, paused: true}},
	{"paused-auto", lifecycle{phase: phaseActive, state: messages.StateDownloading, paused: true, autoManaged: true}},
	{"session-paused", lifecycle{phase: phaseActive, state: messages.StateDownloading, sessionPaused: true}},
	{"both-paused", lifecycle{phase: phaseActive, state: messages.StateDownloading, paused: true, sessionPaused: true}},
	{"pausing", lifecycle{phase: phaseActive, state: messages.StateDownloading, paused: true, gracefulSince: t0}},
	{"error", lifecycle{phase: phaseError, state: messages.StateDownloading, err: errDisk}},
	{"error-actor", lifecycle{phase: phaseError, state: messages.StateDownloading, err: errDisk, actorFailed: true}},
	{"removing", lifecycle{phase: phaseActive, state: messages.StateDownloading, removing: true}},
}

// lifeEvents are the events, by name, with the facts the actor gives.
var lifeEvents = []struct {
	name string
	ev   event
}{
	{"flags(paused)", event{kind: evFlags, on: true}},
	{"flags(auto)", event{kind: evFlags, auto: true}},
	{"pause", event{kind: evPause, canWait: true, now: t0}},
	{"pause(graceful)", event{kind: evPause, on: true, canWait: true, now: t0}},
	{"pause(graceful,no picker)", event{kind: evPause, on: true, now: t0}},
	{"resume", event{kind: evResume}},
	{"session-pause", event{kind: evSessionPaused, on: true}},
	{"session-resume", event{kind: evSessionPaused}},
	{"auto-managed", event{kind: evAutoManaged, on: true}},
	{"not-auto-managed", event{kind: evAutoManaged}},
	{"pause-done", event{kind: evPauseDone}},
	{"remove", event{kind: evRemove}},
	{"check", event{kind: evCheck}},
	{"defer-check", event{kind: evDeferCheck}},
	{"full-check", event{kind: evFullCheck}},
	{"check-state(queued)", event{kind: evCheckState, state: messages.StateQueuedForChecking}},
	{"checked(incomplete)", event{kind: evChecked, state: messages.StateSeeding}},
	{"checked(complete)", event{kind: evChecked, on: true, state: messages.StateSeeding}},
	{"finished(some files)", event{kind: evFinished, state: messages.StateFinished}},
	{"unfinished", event{kind: evUnfinished}},
	{"metadata", event{kind: evMetadata}},
	{"error", event{kind: evError, err: errDisk}},
	{"actor-failed", event{kind: evActorFailed, err: errDisk}},
	{"clear-error", event{kind: evClearError, checked: true}},
	{"clear-error(unchecked)", event{kind: evClearError}},
	{"clear-error(fetching)", event{kind: evClearError, fetching: true}},
	{"recheck", event{kind: evRecheck}},
}

var phaseNames = [...]string{phaseChecking: "checking", phaseMetadata: "metadata", phaseActive: "active", phaseError: "error"}

var effectNames = [...]string{effSave: "save", effStateChanged: "state-changed", effPostPaused: "post-paused",
	effPostResumed: "post-resumed", effSyncAnnounce: "sync-announce", effCloseIdle: "close-idle",
	effFinishPause: "finish-pause", effStartCheck: "start-check", effConnect: "connect", effDisconnect: "disconnect",
	effPostError: "post-error", effRemove: "remove", effRegister: "register", effForgetResume: "forget-resume",
	effCheckAgain: "check-again", effResumeMetadata: "resume-metadata", effLeaveUploadMode: "leave-upload-mode"}

// String is a lifecycle in one line, for the golden file and failures.
func (l lifecycle) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s", phaseNames[l.phase], l.state)
	flag := func(on bool, name string) {
		if on {
			b.WriteString(" " + name)
		}
	}
	flag(l.paused, "paused")
	flag(l.sessionPaused, "session-paused")
	flag(l.autoManaged, "auto")
	flag(l.removing, "removing")
	flag(l.finished, "finished")
	flag(l.actorFailed, "actor-failed")
	flag(l.checkDeferred, "check-deferred")
	flag(l.err != nil, "err")
	flag(l.pausing(), "pausing")
	return b.String()
}

func effectsString(effs []effect) string {
	if len(effs) == 0 {
		return "-"
	}
	names := make([]string, len(effs))
	for i, e := range effs {
		names[i] = effectNames[e]
	}
	return strings.Join(names, ",")
}

// TestLifecycleEveryStateAndEvent applies every event to every state: the
// outcomes are the golden file's (testdata/lifecycle.golden, reviewed
// line by line; -update rewrites it), and each obeys the rules below.
func TestLifecycleEveryStateAndEvent(t *testing.T) {
	var out strings.Builder
	for _, s := range lifeStates {
		for _, e := range lifeEvents {
			next, effs := s.l.apply(e.ev)
			fmt.Fprintf(&out, "%-18s %-26s -> %-60s %s\n", s.name, e.name, next, effectsString(effs))
			if err := checkLifeRules(s.l, e.ev, next, effs); err != nil {
				t.Errorf("%s + %s -> %s [%s]: %v", s.name, e.name, next, effectsString(effs), err)
			}
		}
	}
	path := filepath.Join("testdata", "lifecycle.golden")
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(out.String(), "\n")
	for i, w := range strings.Split(string(want), "\n") {
		if i >= len(got) || got[i] != w {
			g := ""
			if i < len(got) {
				g = got[i]
			}
			t.Fatalf("line %d:\n got %s\nwant %s", i+1, g, w)
		}
	}
}

// checkLifeRules are what holds for every transition.
func checkLifeRules(prev lifecycle, ev event, next lifecycle, effs []effect) error {
	has := func(e effect) bool { return slices.Contains(effs, e) }
	switch {
	case prev.removing && !next.removing:
		return errors.New("a removal is never undone")
	case has(effStateChanged) != (next.state != prev.state):
		return errors.New("state_changed is posted exactly when the state changes")
	case has(effStateChanged) && !has(effSave):
		return errors.New("a state change is saved")
	case has(effConnect) && (!next.runs() || next.err != nil || next.removing):
		return errors.New("connects only while running, without error")
	case has(effPostResumed) && (prev.runs() && prev.paused == next.paused):
		return errors.New("torrent_resumed only when a pause ends")
	case (has(effPostPaused) || has(effFinishPause)) && next.runs():
		return errors.New("torrent_paused only when stopped")
	case has(effPostPaused) && has(effFinishPause):
		return errors.New("torrent_paused once")
	case has(effStartCheck) && (next.checkDeferred || next.removing || next.err != nil || !next.runs() && !next.autoManaged):
		return errors.New("a deferred check runs once, when the torrent runs or is queued")
	case prev.removing && (has(effStartCheck) || has(effConnect) || has(effPostResumed) || has(effCheckAgain)):
		return errors.New("a torrent being removed starts nothing")
	case next.pausing() && next.runs():
		return errors.New("a graceful pause ends when the torrent runs")
	case has(effPostError) && (next.err == nil || next.phase != phaseError):
		return errors.New("torrent_error comes with the error state")
	case ev.kind == evError && next.phase != phaseError:
		return errors.New("an error stops the torrent")
	}
	return nil
}

// same is a state the table leaves as it was.
const same messages.TorrentState = -1

// The rules that matter most, spelt out.
func TestLifecycleTransitions(t *testing.T) {
	find := func(name string) lifecycle {
		for _, s := range lifeStates {
			if s.name == name {
				return s.l
			}
		}
		t.Fatalf("no state %s", name)
		return lifecycle{}
	}
	tests := []struct {
		name  string
		from  string
		ev    event
		state messages.TorrentState // same: unchanged
		runs  bool
		effs  string
	}{
		{"pause stops a running torrent at once", "downloading", event{kind: evPause, canWait: true}, same, false, "save,sync-announce,finish-pause"},
		{"graceful pause waits for the blocks", "downloading", event{kind: evPause, on: true, canWait: true, now: t0}, same, false, "save,sync-announce,close-idle"},
		{"a hard pause ends a graceful one", "pausing", event{kind: evPause}, same, false, "finish-pause"},
		{"pausing a session-paused torrent only says so", "session-paused", event{kind: evPause}, same, false, "save,post-paused"},
		{"resume starts and connects", "paused", event{kind: evResume}, same, true, "save,post-resumed,connect,sync-announce"},
		{"resume under a session pause only says so", "both-paused", event{kind: evResume}, same, false, "save,post-resumed"},
		{"resume runs the deferred check", "checking-deferred", event{kind: evResume}, same, true, "save,post-resumed,start-check,sync-announce"},
		{"the queue runs the deferred check", "checking-deferred", event{kind: evAutoManaged, on: true}, same, false, "save,start-check"},
		{"the session's pause stops the torrent", "downloading", event{kind: evSessionPaused, on: true}, same, false, "sync-announce,finish-pause"},
		{"the session's resume starts it", "session-paused", event{kind: evSessionPaused}, same, true, "post-resumed,connect,sync-announce"},
		{"the session's resume leaves a paused torrent", "both-paused", event{kind: evSessionPaused}, same, false, "-"},
		{"a resumed torrent ends its graceful pause", "pausing", event{kind: evResume}, same, true, "save,post-resumed,connect,sync-announce"},
		{"an error stops the torrent", "downloading", event{kind: evError, err: errDisk}, same, true, "disconnect,sync-announce,post-error"},
		{"an actor failure is an error once", "error", event{kind: evActorFailed, err: errDisk}, same, true, "-"},
		{"ClearError goes on downloading", "error", event{kind: evClearError, checked: true}, same, true, "leave-upload-mode,save,connect,sync-announce"},
		{"ClearError after an actor failure checks again", "error-actor", event{kind: evClearError, checked: true}, same, true, "leave-upload-mode,save,register,forget-resume,check-again"},
		{"ClearError before the check ended checks", "error", event{kind: evClearError}, same, true, "leave-upload-mode,save,check-again"},
		{"ClearError while fetching the metadata fetches again", "error", event{kind: evClearError, fetching: true}, same, true, "leave-upload-mode,save,connect,sync-announce,resume-metadata"},
		{"removal once", "removing", event{kind: evRemove}, same, true, "-"},
		{"removal disconnects", "seeding", event{kind: evRemove}, same, true, "disconnect,remove"},
		{"recheck trusts nothing", "seeding", event{kind: evRecheck}, same, true, "disconnect,forget-resume,check-again"},
		{"the check ends complete", "checking", event{kind: evChecked, on: true, state: messages.StateSeeding}, messages.StateSeeding, true, "save,state-changed"},
		{"the check ends incomplete", "checking", event{kind: evChecked, state: messages.StateSeeding}, messages.StateDownloading, true, "save,state-changed"},
		{"a wanted file makes a seed download again", "seeding", event{kind: evUnfinished}, messages.StateDownloading, true, "save,state-changed"},
		{"a check queued", "checking", event{kind: evCheckState, state: messages.StateQueuedForChecking}, messages.StateQueuedForChecking, true, "save,state-changed"},
		{"a state set again is no change", "checking", event{kind: evCheckState, state: messages.StateCheckingFiles}, same, true, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := find(tt.from)
			next, effs := from.apply(tt.ev)
			if got := effectsString(effs); got != tt.effs {
				t.Errorf("effects %s, want %s", got, tt.effs)
			}
			want := tt.state
			if want == same {
				want = from.state
			}
			if next.state != want || next.runs() != tt.runs {
				t.Errorf("next %s (runs %v), want state %s runs %v", next, next.runs(), want, tt.runs)
			}
		})
	}
}
