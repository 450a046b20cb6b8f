package sessionactor

import (
	"errors"
	"syscall"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// outOfFilesInterval bounds how often an accept loop warns while it keeps
// failing for want of file descriptors: it retries every 10 ms, and one
// warning a second says it all.
const outOfFilesInterval = time.Second

// outOfFiles is an accept loop's performance warning too_few_file_descriptors:
// libtorrent posts it when accepting a connection fails because the
// process has no file descriptor left (EMFILE; ENFILE is the system's
// table, as full for us).
type outOfFiles struct {
	last time.Time
}

// warn posts the warning for err, if it is one, at most once a second.
func (o *outOfFiles) warn(root *actor.RootContext, alerts *actor.PID, err error, now time.Time) {
	if !o.due(err, now) || alerts == nil {
		return
	}
	root.Send(alerts, &messages.PostAlert{Alert: &messages.PerformanceAlert{
		TorrentAlertHeader: messages.TorrentAlertHeader{AlertHeader: messages.AlertHeader{At: now}},
		WarningCode:        messages.TooFewFileDescriptors,
	}})
}

// due reports whether err calls for the warning now, and records it.
func (o *outOfFiles) due(err error, now time.Time) bool {
	if !errors.Is(err, syscall.EMFILE) && !errors.Is(err, syscall.ENFILE) {
		return false
	}
	if !o.last.IsZero() && now.Sub(o.last) < outOfFilesInterval {
		return false
	}
	o.last = now
	return true
}
