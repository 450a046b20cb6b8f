package messages

import "fmt"

// PerformanceWarning is libtorrent's performance_alert::performance_warning_t
// (same values).
type PerformanceWarning int

// The warnings, in libtorrent's order. Those we post: OutstandingDiskBufferLimitReached,
// OutstandingRequestLimitReached, TooHighDiskQueueLimit and
// TooFewFileDescriptors; the others name features we do not have yet (see
// the facade's alert.go).
const (
	OutstandingDiskBufferLimitReached PerformanceWarning = iota
	OutstandingRequestLimitReached
	UploadLimitTooLow
	DownloadLimitTooLow
	SendBufferWatermarkTooLow
	TooManyOptimisticUnchokeSlots
	TooHighDiskQueueLimit
	BittyrantWithNoUplimit
	TooFewOutgoingPorts
	TooFewFileDescriptors
)

var performanceWarningText = [...]string{
	OutstandingDiskBufferLimitReached: "max outstanding disk writes reached",
	OutstandingRequestLimitReached:    "max outstanding piece requests reached",
	UploadLimitTooLow:                 "upload limit too low (download rate will suffer)",
	DownloadLimitTooLow:               "download limit too low (upload rate will suffer)",
	SendBufferWatermarkTooLow:         "send buffer watermark too low (upload rate will suffer)",
	TooManyOptimisticUnchokeSlots:     "too many optimistic unchoke slots",
	TooHighDiskQueueLimit:             "the disk queue limit is too high compared to the cache size. The disk queue eats into the cache size",
	BittyrantWithNoUplimit:            "using bittyrant unchoker with no upload rate limit set",
	TooFewOutgoingPorts:               "too few ports allowed for outgoing connections",
	TooFewFileDescriptors:             "too few file descriptors are allowed for this process: a connection was refused",
}

// String is libtorrent's text of the warning.
func (w PerformanceWarning) String() string {
	if w >= 0 && int(w) < len(performanceWarningText) {
		return performanceWarningText[w]
	}
	return fmt.Sprintf("performance warning %d", int(w))
}

// PerformanceAlert: a limit is holding the transfer back (libtorrent's
// performance_alert); WarningCode says which. A warning about the whole
// session (TooFewFileDescriptors) has a zero InfoHash, as libtorrent posts
// it with an invalid handle.
type PerformanceAlert struct {
	TorrentAlertHeader
	WarningCode PerformanceWarning
}

func (PerformanceAlert) Type() int               { return 9 }
func (PerformanceAlert) Category() AlertCategory { return CategoryPerformance }
func (PerformanceAlert) What() string            { return "performance" }
func (PerformanceAlert) Discardable() bool       { return true }

func (a PerformanceAlert) Message() string {
	name := " - " // the session's: no torrent
	if a.InfoHash != (InfoHash{}) {
		name = a.torrentName()
	}
	return name + " performance warning: " + a.WarningCode.String()
}

// CacheFlushedAlert: TorrentHandle.FlushCache finished: the torrent's
// blocks in the write cache are on disk and its files closed (libtorrent's
// cache_flushed_alert). It answers a request, so, as libtorrent 1.1 fixed
// it, it is posted whatever the alert mask and never dropped.
type CacheFlushedAlert struct{ TorrentAlertHeader }

func (CacheFlushedAlert) Type() int               { return 58 }
func (CacheFlushedAlert) Category() AlertCategory { return CategoryStorage }
func (CacheFlushedAlert) What() string            { return "cache_flushed" }
func (CacheFlushedAlert) Discardable() bool       { return false }

func (a CacheFlushedAlert) Message() string { return a.torrentName() + " disk cache flushed" }
