package actorrent

import "github.com/actorrent/actorrent/messages"

// convertAlert turns an alert posted by an actor into its public value.
// Unknown types (none today) are dropped rather than crash a caller.
func (s *Session) convertAlert(m messages.Alert) Alert {
	base := alertBase{at: m.When()}
	tb := func(ih InfoHash) torrentAlertBase {
		return torrentAlertBase{alertBase: base, Handle: TorrentHandle{ih: ih, s: s}}
	}
	pb := func(ih InfoHash, addr string, id [20]byte) peerAlertBase {
		return peerAlertBase{torrentAlertBase: tb(ih), Endpoint: addr, PeerID: id}
	}
	if t := s.convertTrackerAlert(m, tb); t != nil {
		return t
	}
	switch a := m.(type) {
	case *messages.AddTorrentAlert:
		out := AddTorrentAlert{torrentAlertBase: tb(a.InfoHash), Error: a.Err}
		if p, ok := a.Params.(AddTorrentParams); ok {
			out.Params = p
		}
		return out
	case *messages.TorrentAddedAlert:
		return TorrentAddedAlert{tb(a.InfoHash)}
	case *messages.TorrentRemovedAlert:
		return TorrentRemovedAlert{tb(a.InfoHash), a.InfoHash}
	case *messages.TorrentDeletedAlert:
		return TorrentDeletedAlert{tb(a.InfoHash), a.InfoHash}
	case *messages.TorrentDeleteFailedAlert:
		return TorrentDeleteFailedAlert{tb(a.InfoHash), a.InfoHash, a.Err}
	case *messages.StateChangedAlert:
		return StateChangedAlert{tb(a.InfoHash), a.State, a.PrevState}
	case *messages.TorrentCheckedAlert:
		return TorrentCheckedAlert{tb(a.InfoHash)}
	case *messages.MetadataReceivedAlert:
		return MetadataReceivedAlert{tb(a.InfoHash)}
	case *messages.MetadataFailedAlert:
		return MetadataFailedAlert{tb(a.InfoHash), a.Err}
	case *messages.TorrentFinishedAlert:
		return TorrentFinishedAlert{tb(a.InfoHash)}
	case *messages.TorrentPausedAlert:
		return TorrentPausedAlert{tb(a.InfoHash)}
	case *messages.TorrentResumedAlert:
		return TorrentResumedAlert{tb(a.InfoHash)}
	case *messages.TorrentErrorAlert:
		return TorrentErrorAlert{tb(a.InfoHash), a.Err}
	case *messages.FileErrorAlert:
		return FileErrorAlert{tb(a.InfoHash), a.File, a.Op, a.Err}
	case *messages.FileCompletedAlert:
		return FileCompletedAlert{tb(a.InfoHash), a.Index}
	case *messages.PieceFinishedAlert:
		return PieceFinishedAlert{tb(a.InfoHash), a.Piece}
	case *messages.HashFailedAlert:
		return HashFailedAlert{tb(a.InfoHash), a.Piece}
	case *messages.PeerConnectAlert:
		return PeerConnectAlert{pb(a.InfoHash, a.Addr, a.PeerID), a.Incoming}
	case *messages.PeerDisconnectedAlert:
		return PeerDisconnectedAlert{pb(a.InfoHash, a.Addr, a.PeerID), a.Err}
	case *messages.PeerErrorAlert:
		return PeerErrorAlert{pb(a.InfoHash, a.Addr, a.PeerID), a.Err}
	case *messages.PeerBanAlert:
		return PeerBanAlert{pb(a.InfoHash, a.Addr, a.PeerID)}
	case *messages.PeerBlockedAlert:
		return PeerBlockedAlert{pb(a.InfoHash, a.Addr, [20]byte{}), a.Reason}
	case *messages.SaveResumeDataAlert:
		return SaveResumeDataAlert{tb(a.InfoHash), a.ResumeData}
	case *messages.SaveResumeDataFailedAlert:
		return SaveResumeDataFailedAlert{tb(a.InfoHash), a.Err}
	case *messages.FastresumeRejectedAlert:
		return FastresumeRejectedAlert{tb(a.InfoHash), a.Err}
	case *messages.StorageMovedAlert:
		return StorageMovedAlert{tb(a.InfoHash), a.SavePath}
	case *messages.StorageMovedFailedAlert:
		return StorageMovedFailedAlert{tb(a.InfoHash), a.SavePath, a.Err}
	case *messages.FileRenamedAlert:
		return FileRenamedAlert{tb(a.InfoHash), a.Index, a.Name}
	case *messages.FileRenameFailedAlert:
		return FileRenameFailedAlert{tb(a.InfoHash), a.Index, a.Err}
	case *messages.IncomingConnectionAlert:
		return IncomingConnectionAlert{base, a.Addr, a.SocketType}
	case *messages.ListenSucceededAlert:
		return ListenSucceededAlert{base, a.Addr, a.SockType}
	case *messages.ListenFailedAlert:
		return ListenFailedAlert{base, a.Addr, a.Err, a.Op, a.SockType}
	case *messages.AlertsDroppedAlert:
		return AlertsDroppedAlert{base, a.Dropped}
	case *messages.ActorFailedAlert:
		return ActorFailedAlert{base, a.Kind, a.Actor, a.Reason, a.Message, a.Directive, a.Failures, a.Restarts, a.Injected}
	case *messages.FaultInjectedAlert:
		return FaultInjectedAlert{base, a.Kind, a.Site, a.Message, a.Action, a.Rule}
	}
	return nil
}

// convertTrackerAlert turns the tracker alerts; nil for others.
func (s *Session) convertTrackerAlert(m messages.Alert, tb func(InfoHash) torrentAlertBase) Alert {
	trb := func(ih InfoHash, url string) trackerAlertBase { return trackerAlertBase{tb(ih), url} }
	switch a := m.(type) {
	case *messages.TrackerAnnounceAlert:
		return TrackerAnnounceAlert{trb(a.InfoHash, a.URL), TrackerEvent(a.Event)}
	case *messages.TrackerReplyAlert:
		return TrackerReplyAlert{trb(a.InfoHash, a.URL), a.NumPeers}
	case *messages.TrackerWarningAlert:
		return TrackerWarningAlert{trb(a.InfoHash, a.URL), a.Msg}
	case *messages.TrackerErrorAlert:
		return TrackerErrorAlert{trb(a.InfoHash, a.URL), a.TimesInRow, a.StatusCode, a.Err, a.Msg}
	case *messages.ScrapeReplyAlert:
		return ScrapeReplyAlert{trb(a.InfoHash, a.URL), a.Incomplete, a.Complete}
	case *messages.ScrapeFailedAlert:
		return ScrapeFailedAlert{trb(a.InfoHash, a.URL), a.Err, a.Msg}
	case *messages.TrackeridAlert:
		return TrackeridAlert{trb(a.InfoHash, a.URL), a.TrackerID}
	}
	return nil
}
