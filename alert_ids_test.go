package actorrent

import "testing"

// Alert type ids are libtorrent's (1.1 and later: fixed small integers;
// alerts_dropped is 2.0's; ours start at user_alert_id, 10000): a program
// that switches on Type() as it would on libtorrent's alert::type() gets
// the same answers. The ids are copied from libtorrent's alert_types.hpp,
// not from our code.
func TestAlertTypeIDsAreLibtorrents(t *testing.T) {
	for _, c := range []struct {
		a  Alert
		id int
	}{
		{PeerBlockedAlert{}, 54},
		{MetadataReceivedAlert{}, 45},
		{MetadataFailedAlert{}, 44},
		{PeerConnectAlert{}, 23},
		{PeerDisconnectedAlert{}, 24},
		{PeerErrorAlert{}, 22},
		{PeerBanAlert{}, 19},
		{ListenSucceededAlert{}, 49},
		{ListenFailedAlert{}, 48},
		{AlertsDroppedAlert{}, 95},
		{SaveResumeDataAlert{}, 37},
		{SaveResumeDataFailedAlert{}, 38},
		{FastresumeRejectedAlert{}, 53},
		{StorageMovedAlert{}, 33},
		{StorageMovedFailedAlert{}, 34},
		{FileRenamedAlert{}, 7},
		{FileRenameFailedAlert{}, 8},
		{ActorFailedAlert{}, 10000},
		{FaultInjectedAlert{}, 10001},
		{AddTorrentAlert{}, 67},
		{TorrentAddedAlert{}, 3},
		{TorrentRemovedAlert{}, 4},
		{TorrentDeletedAlert{}, 35},
		{TorrentDeleteFailedAlert{}, 36},
		{StateChangedAlert{}, 10},
		{TorrentCheckedAlert{}, 41},
		{TorrentFinishedAlert{}, 26},
		{TorrentPausedAlert{}, 39},
		{TorrentResumedAlert{}, 40},
		{TorrentErrorAlert{}, 64},
		{FileErrorAlert{}, 43},
		{PieceFinishedAlert{}, 27},
		{IncomingConnectionAlert{}, 66},
		{FileCompletedAlert{}, 6},
		{HashFailedAlert{}, 18},
		{TrackerErrorAlert{}, 11},
		{TrackerWarningAlert{}, 12},
		{ScrapeReplyAlert{}, 13},
		{ScrapeFailedAlert{}, 14},
		{TrackerReplyAlert{}, 15},
		{TrackerAnnounceAlert{}, 17},
		{TrackeridAlert{}, 61},
	} {
		if got := c.a.Type(); got != c.id {
			t.Errorf("%s: Type() = %d, libtorrent's is %d", c.a.What(), got, c.id)
		}
	}
}
