package messages

import "fmt"

// PostSessionStats asks the session to post a SessionStatsAlert with the
// values of its metrics; reply Ack once the alert is posted.
type PostSessionStats struct{}

// SessionStatsAlert carries the values of the session's metrics
// (libtorrent's session_stats_alert), in answer to PostSessionStats.
// Values are indexed as SessionStatsMetrics says (look a metric up with
// FindMetricIdx); they were copied for this alert alone: read, never
// modify them.
type SessionStatsAlert struct {
	AlertHeader
	Values []int64
}

// The stats_alert channels (libtorrent 1.1's stats_channel with full
// stats, same values): indices of StatsAlert.Transferred. The DHT ones
// stay 0 (no DHT yet).
const (
	StatsUploadPayload = iota
	StatsUploadProtocol
	StatsDownloadPayload
	StatsDownloadProtocol
	StatsUploadIPProtocol
	StatsUploadDHTProtocol
	StatsUploadTrackerProtocol
	StatsDownloadIPProtocol
	StatsDownloadDHTProtocol
	StatsDownloadTrackerProtocol
	NumStatsChannels
)

// StatsAlert is a torrent's traffic over the last Interval milliseconds
// (libtorrent's stats_alert): raw byte counts per channel (Stats*), no
// smoothing. A torrent posts one about every second while it has
// connected peers and the alert mask has CategoryStats; an idle torrent
// posts none.
type StatsAlert struct {
	TorrentAlertHeader
	Transferred [NumStatsChannels]int
	Interval    int
}

// libtorrent 1.1's ids; both are stats_notification. The session stats
// alert is posted whatever the mask (AlwaysPosted): libtorrent emplaces it
// on request without asking should_post (2.0 gives it no category at all).
func (SessionStatsAlert) Type() int               { return 70 }
func (StatsAlert) Type() int                      { return 57 }
func (SessionStatsAlert) Category() AlertCategory { return CategoryStats }
func (StatsAlert) Category() AlertCategory        { return CategoryStats }
func (SessionStatsAlert) What() string            { return "session_stats" }
func (StatsAlert) What() string                   { return "stats" }

// Discardable: a session stats alert answers a request (libtorrent gives
// it critical priority); a stats alert is one of many samples.
func (SessionStatsAlert) Discardable() bool { return false }
func (StatsAlert) Discardable() bool        { return true }

func (a SessionStatsAlert) Message() string {
	return fmt.Sprintf("session stats (%d values)", len(a.Values))
}
func (a StatsAlert) Message() string {
	t := a.Transferred
	return fmt.Sprintf("%s: [%d ms] up %d+%d down %d+%d bytes (payload+protocol)", a.torrentName(), a.Interval,
		t[StatsUploadPayload], t[StatsUploadProtocol], t[StatsDownloadPayload], t[StatsDownloadProtocol])
}
