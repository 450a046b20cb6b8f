package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/messages"
)

// SuperSeeding turns super seeding (BEP 16) on or off (libtorrent's
// super_seeding(bool); FlagSuperSeeding at add). A super seed tells each
// peer it has nothing, then of one piece at a time (two at once, as
// libtorrent): the piece fewest peers have, among those not shown to
// another peer already. A peer is told of the next piece when it
// announces the one it got, or, with strict_super_seeding, when another
// peer announces it (the piece was passed on); a peer not interested for
// 10 s is told of one more each second. Requests for pieces not shown are
// rejected. Turning it off sends every peer the full picture.
//
// Only a seed super seeds. On a torrent that is not one, the switch is
// kept (TorrentStatus.SuperSeeding and the resume data's super_seeding
// show it) and acts once the torrent has every piece; a check of the
// files that finds the torrent is not a seed turns it off, as libtorrent
// does, so a torrent added with FlagSuperSeeding before it is complete
// downloads normally.
func (h TorrentHandle) SuperSeeding(ctx context.Context, on bool) error {
	return h.send(ctx, &messages.SetSuperSeeding{On: on})
}
