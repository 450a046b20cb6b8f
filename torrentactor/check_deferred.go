package torrentactor

import (
	"github.com/asynkron/protoactor-go/actor"
)

// A torrent added paused (and not auto-managed) without resume data is
// not checked until it is resumed, as libtorrent does (its
// should_check_files wants the torrent unpaused): it stays in
// checking_files with no pieces, and costs neither a disk read nor a
// picker, nor storage on the disk (registered when something needs the
// files: ensureStorage) meanwhile — 100k paused torrents added are 100k
// checks not run.
// An auto-managed one is checked at once: the queue only starts torrents
// that are past their check. Resume data is still checked at once (it
// reads no file), as libtorrent does. The lifecycle runs the check put off
// when the torrent starts, or is handed to the queue (effStartCheck).

// deferCheck reports whether a full check should wait for a resume.
func (a *Actor) deferCheck() bool {
	return a.life.paused && !a.life.autoManaged && !seedMode{a}.on()
}

// deferFullCheck leaves the torrent in checking_files until it runs;
// what it has is unknown meanwhile (no resume data is saved).
func (a *Actor) deferFullCheck(ctx actor.Context) {
	a.resume.fullCheck = true
	a.change(ctx, event{kind: evDeferCheck})
}

// ensureStorage registers the torrent's storage with the disk if it is
// not yet (a check put off); call it before any request about its files.
func (a *Actor) ensureStorage(ctx actor.Context) {
	if !a.registered {
		a.registerStorage(ctx)
	}
}
