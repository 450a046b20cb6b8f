package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/messages"
)

// The auto-manage queue (libtorrent's session queueing): auto-managed
// torrents are started and paused by the session to keep active_downloads
// downloading and active_seeds seeding (within active_limit), in queue
// order; slow torrents (below inactive_down_rate / inactive_up_rate past
// auto_manage_startup) do not hold a slot when dont_count_slow_torrents
// is on, and seeds that met a goal (share_ratio_limit,
// seed_time_ratio_limit, seed_time_limit) give theirs up first. Each
// start and stop posts TorrentResumedAlert / TorrentPausedAlert.

// PauseFlags are the flags of TorrentHandle.Pause.
type PauseFlags int

// GracefulPause lets the blocks already requested arrive before the
// connections close (libtorrent's graceful_pause): no new requests go
// out, and each peer is disconnected once it has nothing outstanding
// (within request_timeout).
const GracefulPause PauseFlags = 1

// Pause stops the torrent: connections, trackers and open files
// (torrent_paused). An auto-managed torrent may be started again by the
// queue; turn AutoManaged off to keep it paused, as in libtorrent.
func (h TorrentHandle) Pause(ctx context.Context, flags ...PauseFlags) error {
	var f PauseFlags
	for _, x := range flags {
		f |= x
	}
	return h.send(ctx, &messages.PauseTorrent{Graceful: f&GracefulPause != 0})
}

// Resume undoes Pause (torrent_resumed).
func (h TorrentHandle) Resume(ctx context.Context) error {
	return h.send(ctx, &messages.ResumeTorrent{})
}

// AutoManaged hands the torrent to the auto-manage queue (true) or takes
// it back (false: it stays as it is, paused or not).
func (h TorrentHandle) AutoManaged(ctx context.Context, on bool) error {
	return h.send(ctx, &messages.SetAutoManaged{On: on})
}

// QueuePosition is the torrent's place in the download queue, 0 first;
// -1 for a finished torrent (libtorrent's queue_position).
func (h TorrentHandle) QueuePosition(ctx context.Context) (int, error) {
	st, err := h.Status(ctx)
	if err != nil {
		return -1, err
	}
	return st.QueuePosition, nil
}

// QueuePositionUp, QueuePositionDown, QueuePositionTop and
// QueuePositionBottom move the torrent in the download queue; the others
// shift to make room (libtorrent's queue_position_up, ...).
func (h TorrentHandle) QueuePositionUp(ctx context.Context) error {
	return h.queueMove(ctx, messages.QueueUp, 0)
}

func (h TorrentHandle) QueuePositionDown(ctx context.Context) error {
	return h.queueMove(ctx, messages.QueueDown, 0)
}

func (h TorrentHandle) QueuePositionTop(ctx context.Context) error {
	return h.queueMove(ctx, messages.QueueTop, 0)
}

func (h TorrentHandle) QueuePositionBottom(ctx context.Context) error {
	return h.queueMove(ctx, messages.QueueBottom, 0)
}

// QueuePositionSet moves the torrent to pos (libtorrent's
// queue_position_set); past the end means last.
func (h TorrentHandle) QueuePositionSet(ctx context.Context, pos int) error {
	return h.queueMove(ctx, messages.QueueSet, pos)
}

func (h TorrentHandle) queueMove(ctx context.Context, op messages.QueueOp, pos int) error {
	return h.send(ctx, &messages.QueueMove{Op: op, Pos: pos})
}

// Pause pauses every torrent of the session (libtorrent's
// session::pause): they stop and post torrent_paused, but their own
// paused flags stay as they were, so Resume starts exactly those that ran.
func (s *Session) Pause(ctx context.Context) error {
	_, err := s.request(ctx, &messages.PauseSession{})
	return err
}

// Resume undoes Pause.
func (s *Session) Resume(ctx context.Context) error {
	_, err := s.request(ctx, &messages.ResumeSession{})
	return err
}

// IsPaused reports whether the session is paused.
func (s *Session) IsPaused(ctx context.Context) (bool, error) {
	r, err := s.request(ctx, &messages.IsSessionPaused{})
	if err != nil {
		return false, err
	}
	return r.(*messages.IsSessionPausedReply).Paused, nil
}
