package actorrent

import "github.com/actorrent/actorrent/messages"

// PerformanceWarning is PerformanceAlert.WarningCode (libtorrent's
// performance_warning_t, same values).
type PerformanceWarning = messages.PerformanceWarning

// The performance warnings; README.md ("Alerts") says which are posted.
const (
	OutstandingDiskBufferLimitReached = messages.OutstandingDiskBufferLimitReached
	OutstandingRequestLimitReached    = messages.OutstandingRequestLimitReached
	UploadLimitTooLow                 = messages.UploadLimitTooLow
	DownloadLimitTooLow               = messages.DownloadLimitTooLow
	SendBufferWatermarkTooLow         = messages.SendBufferWatermarkTooLow
	TooManyOptimisticUnchokeSlots     = messages.TooManyOptimisticUnchokeSlots
	TooHighDiskQueueLimit             = messages.TooHighDiskQueueLimit
	BittyrantWithNoUplimit            = messages.BittyrantWithNoUplimit
	TooFewOutgoingPorts               = messages.TooFewOutgoingPorts
	TooFewFileDescriptors             = messages.TooFewFileDescriptors
)
