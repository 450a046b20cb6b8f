package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/messages"
)

// Priorities are libtorrent's: 0 skips a file or piece, 1 (the default)
// to 7 download it, higher first. A piece's priority is the highest of the
// files it overlaps. A file of priority 0 is not created: the bytes of it
// that pieces shared with wanted files carry wait in a part file in the
// save path and move into the file if its priority is raised. A torrent
// that has every wanted piece is finished (Finished state, or Seeding
// when it has them all).

// SetFilePriority sets file index's priority.
func (h TorrentHandle) SetFilePriority(ctx context.Context, index, priority int) error {
	return h.send(ctx, &messages.SetFilePriorities{Index: index, Priority: priority})
}

// PrioritizeFiles sets every file's priority, one entry per file.
func (h TorrentHandle) PrioritizeFiles(ctx context.Context, priorities []int) error {
	return h.send(ctx, &messages.SetFilePriorities{Priorities: append([]int{}, priorities...)})
}

// FilePriorities returns every file's priority.
func (h TorrentHandle) FilePriorities(ctx context.Context) ([]int, error) {
	r, err := h.priorities(ctx)
	return r.Files, err
}

// FilePriority returns file index's priority.
func (h TorrentHandle) FilePriority(ctx context.Context, index int) (int, error) {
	r, err := h.priorities(ctx)
	if err != nil {
		return 0, err
	}
	if index < 0 || index >= len(r.Files) {
		return 0, ErrInvalidParams
	}
	return r.Files[index], nil
}

// SetPiecePriority sets one piece's priority (until the next file
// priority change).
func (h TorrentHandle) SetPiecePriority(ctx context.Context, piece, priority int) error {
	return h.send(ctx, &messages.SetPiecePriorities{Index: piece, Priority: priority})
}

// PrioritizePieces sets every piece's priority, one entry per piece.
func (h TorrentHandle) PrioritizePieces(ctx context.Context, priorities []int) error {
	return h.send(ctx, &messages.SetPiecePriorities{Priorities: append([]int{}, priorities...), Index: -1})
}

// PiecePriorities returns every piece's priority.
func (h TorrentHandle) PiecePriorities(ctx context.Context) ([]int, error) {
	r, err := h.priorities(ctx)
	return r.Pieces, err
}

func (h TorrentHandle) priorities(ctx context.Context) (*messages.PrioritiesReply, error) {
	r, err := h.ask(ctx, &messages.GetPriorities{}, true)
	if err != nil {
		return &messages.PrioritiesReply{}, err
	}
	return r.(*messages.PrioritiesReply), nil
}
