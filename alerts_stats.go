package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/messages"
)

// StatsChannel indexes StatsAlert.Transferred (libtorrent's
// stats_alert::stats_channel, same values).
type StatsChannel int

// The channels. The DHT ones stay 0 (no DHT yet).
const (
	StatsUploadPayload           StatsChannel = messages.StatsUploadPayload
	StatsUploadProtocol          StatsChannel = messages.StatsUploadProtocol
	StatsDownloadPayload         StatsChannel = messages.StatsDownloadPayload
	StatsDownloadProtocol        StatsChannel = messages.StatsDownloadProtocol
	StatsUploadIPProtocol        StatsChannel = messages.StatsUploadIPProtocol
	StatsUploadDHTProtocol       StatsChannel = messages.StatsUploadDHTProtocol
	StatsUploadTrackerProtocol   StatsChannel = messages.StatsUploadTrackerProtocol
	StatsDownloadIPProtocol      StatsChannel = messages.StatsDownloadIPProtocol
	StatsDownloadDHTProtocol     StatsChannel = messages.StatsDownloadDHTProtocol
	StatsDownloadTrackerProtocol StatsChannel = messages.StatsDownloadTrackerProtocol
	NumStatsChannels                          = messages.NumStatsChannels
)

// PostSessionStats posts a SessionStatsAlert with the current values of
// the session's metrics (libtorrent's post_session_stats). The alert is
// queued when PostSessionStats returns.
func (s *Session) PostSessionStats(ctx context.Context) error {
	r, err := s.request(ctx, &messages.PostSessionStats{})
	if err != nil {
		return err
	}
	return r.(*messages.Ack).Err
}
