package messages

// The auto-manage queue (libtorrent's session queueing): the session owns
// the queue; torrents are told what it decided.

// SetAutoManaged turns a torrent's auto_managed flag on or off; it goes
// through the session, which queues auto-managed torrents.
type SetAutoManaged struct {
	On bool
}

// QueueOp is a move in the download queue.
type QueueOp int

// The queue moves of libtorrent's torrent_handle.
const (
	QueueUp QueueOp = iota
	QueueDown
	QueueTop
	QueueBottom
	QueueSet // to Pos
)

// QueueMove moves a torrent in the download queue (handled by the
// session).
type QueueMove struct {
	Op  QueueOp
	Pos int
}

// QueuePositionChanged tells a torrent its queue position (-1: none, as
// a finished torrent).
type QueuePositionChanged struct {
	Pos int
}

// PauseSession and ResumeSession pause and resume every torrent without
// changing their own paused flags (libtorrent's session::pause); replied
// with Ack.
type PauseSession struct{}
type ResumeSession struct{}

// IsSessionPaused asks whether the session is paused; reply
// IsSessionPausedReply.
type IsSessionPaused struct{}

// IsSessionPausedReply answers IsSessionPaused.
type IsSessionPausedReply struct {
	Paused bool
}

// SessionPausedChanged tells a torrent the session was paused or
// resumed: a torrent runs only when neither it nor the session is paused.
type SessionPausedChanged struct {
	Paused bool
}

// TorrentStateUpdate tells the session at once that a torrent's state
// changed (its stats say so only at the next tick): the queue hands out
// slots by the states it knows.
type TorrentStateUpdate struct {
	InfoHash InfoHash
	State    TorrentState
	Errored  bool
}
