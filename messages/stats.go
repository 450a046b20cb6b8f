package messages

import "time"

// GetSessionStats asks the session for its stats metrics; reply
// SessionStatsReply.
type GetSessionStats struct{}

// SessionStatsReply answers GetSessionStats: the values of the metrics
// the engine fills, indexed by internal/stats.Index (stats.Metrics()),
// and when they were collected. Values is the receiver's own copy.
type SessionStatsReply struct {
	Values []int64
	Time   time.Time
}
