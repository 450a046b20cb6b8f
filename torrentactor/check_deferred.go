package torrentactor

import (
	"github.com/actorrent/actorrent/messages"
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
// reads no file), as libtorrent does.

// deferCheck reports whether a full check should wait for a resume.
func (a *Actor) deferCheck() bool {
	return a.paused && !a.autoManaged && a.cfg.Flags&messages.FlagSeedMode == 0
}

// deferFullCheck leaves the torrent in checking_files until it runs;
// what it has is unknown meanwhile (no resume data is saved).
func (a *Actor) deferFullCheck(ctx actor.Context) {
	a.checkDeferred = true
	a.resume.fullCheck = true
	a.setState(ctx, messages.StateCheckingFiles)
}

// startDeferredCheck runs the check a paused torrent put off (it was
// resumed, or handed to the queue).
func (a *Actor) startDeferredCheck(ctx actor.Context) {
	if !a.checkDeferred || a.removing || a.errored != nil {
		return
	}
	a.checkDeferred = false
	a.startFullCheck(ctx)
}

// ensureStorage registers the torrent's storage with the disk if it is
// not yet (a check put off); call it before any request about its files.
func (a *Actor) ensureStorage(ctx actor.Context) {
	if !a.registered {
		a.registerStorage(ctx)
	}
}
