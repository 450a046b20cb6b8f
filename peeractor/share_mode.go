package peeractor

import (
	"fmt"

	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/settings"
)

// shareExt holds share mode's side of the extension protocol (libtorrent's
// "share_mode"): the peer actor keeps its own methods under the budget.
type shareExt struct{ *Actor }

// shareModeID is the extension id we ask remotes to send share_mode
// messages with: libtorrent's own (share_mode_msg), ours to choose.
const shareModeID = 8

// shareModeName is the extension's name in the handshake's "m" and its
// key ("share_mode": 1 says the sender's torrent is in share mode).
const shareModeName = "share_mode"

// offer adds share mode to our handshake, as libtorrent does with
// support_share_mode: the extension in "m" always, and "share_mode": 1
// while our torrent is in share mode.
func (a shareExt) offer(h *metadata.ExtHandshake) {
	if !a.set.Bool(settings.SupportShareMode) {
		return
	}
	h.M[shareModeName] = shareModeID
	h.ShareMode = a.cfg.ShareMode
}

// heard records the remote's share_mode from its handshake (only with
// support_share_mode, as libtorrent).
func (a shareExt) heard(h metadata.ExtHandshake) {
	a.ext.shareMode = h.ShareMode && a.set.Bool(settings.SupportShareMode)
}

// handleMessage is a share_mode message: one byte, the remote's torrent
// entering (1) or leaving (0) share mode. A seed's is ignored and a
// message of another size is dropped, as libtorrent does.
func (a shareExt) handleMessage(payload []byte) error {
	if !a.set.Bool(settings.SupportShareMode) {
		return fmt.Errorf("%w: %d", ErrUnknownExtension, shareModeID)
	}
	if len(payload) != 1 || (a.peerHave.Len() > 0 && a.peerHave.All()) {
		return nil
	}
	a.ext.shareMode = payload[0] != 0
	return nil
}
