package tracker

import "time"

// Settings tune a List. The zero value is usable: every zero numeric field
// means "the default" below, and both announce_to_all_* switches default to
// false as in libtorrent.
type Settings struct {
	// AnnounceToAllTiers announces to one tracker in every tier instead of
	// only the first tier that has a working tracker.
	AnnounceToAllTiers bool
	// AnnounceToAllTrackers announces to every tracker of a tier in
	// parallel instead of the first one that can.
	AnnounceToAllTrackers bool

	// MaxFailCount is how many failures in a row make a tracker "not
	// working": it is never announced again until ForceReannounce or
	// Replace. 0 means DefaultMaxFailCount; negative means unlimited
	// (libtorrent's fail_limit 0), in which case dead trackers are still
	// retried at BackoffMax forever, within the attempt budget.
	MaxFailCount int
	// BackoffPercent is libtorrent's tracker_backoff: the delay after the
	// n-th failure in a row is BackoffMin + BackoffMin*n²*BackoffPercent/100,
	// capped at BackoffMax. 0 means 250.
	BackoffPercent int
	// BackoffMin is libtorrent's tracker_retry_delay_min (0 means 5 s).
	BackoffMin time.Duration
	// BackoffMax caps the delay between retries (0 means 60 min, libtorrent's
	// tracker_retry_delay_max).
	BackoffMax time.Duration

	// MinAnnounceInterval is the least time between regular announces,
	// whatever the tracker says (libtorrent min_announce_interval; 0 means
	// 5 min). It is what stops a tracker that answers "interval 0" from
	// making us spin.
	MinAnnounceInterval time.Duration
	// MaxAnnounceInterval is the most time between regular announces,
	// whatever the tracker says (0 means 2 h), so that an absurd interval
	// does not silence us forever. It also caps a failure's RetryIn.
	MaxAnnounceInterval time.Duration
	// DefaultInterval is used when a tracker sends no interval (0 means
	// 30 min, libtorrent's default).
	DefaultInterval time.Duration

	// AttemptBurst and AttemptEvery are the per-torrent attempt budget, a
	// token bucket: attempts on trackers that are not known to work (never
	// answered, or failed last time) cost a token; the bucket holds
	// AttemptBurst tokens (0 means 10) and regains one every AttemptEvery
	// (0 means 5 s). Announces to working trackers and stopped events are
	// free. This is what bounds a torrent with 150 dead trackers to a
	// dozen attempts a minute while it gives up on them.
	AttemptBurst int
	AttemptEvery time.Duration

	// FailoverAfter is how long an announce to a tracker not known to work
	// (never answered, or failed last time) holds its tier before the walk
	// goes on as if it had failed: to the tier's next tracker, and once
	// every tracker of the tier failed or went silent, to the next tier
	// (0 means 3 s; negative waits for the result, as libtorrent does).
	// The announce itself goes on: a late answer makes the tracker working
	// (its tier holds the walk again), a late failure backs off as usual.
	// Without it a tracker that drops packets holds the walk until the
	// client gives up (30 s, tracker_completion_timeout), and a torrent
	// whose only live tracker is in a lower tier waits that long for peers.
	FailoverAfter time.Duration

	// MaxTrackers caps the list length (0 means 1000); further URLs are
	// dropped, so a hostile announce-list cannot make every walk expensive.
	MaxTrackers int
}

// Defaults applied to zero Settings fields.
const (
	// DefaultMaxFailCount: with the default backoff, ten failures in a row
	// span about an hour (17 s, 55 s, 2 min, … 17 min), long enough to ride
	// out a tracker's restart or a short outage, short enough that a dead
	// tracker stops costing anything soon.
	DefaultMaxFailCount        = 10
	DefaultBackoffPercent      = 250
	DefaultBackoffMin          = 5 * time.Second
	DefaultBackoffMax          = 60 * time.Minute
	DefaultMinAnnounceInterval = 5 * time.Minute
	DefaultMaxAnnounceInterval = 2 * time.Hour
	DefaultInterval            = 30 * time.Minute
	DefaultAttemptBurst        = 10
	DefaultAttemptEvery        = 5 * time.Second
	DefaultMaxTrackers         = 1000
	// DefaultFailoverAfter: a live tracker answers well within it (a UDP
	// connect and announce are two round trips; an HTTPS announce with DNS,
	// TCP and TLS about four), yet a dead tier costs the first peers only
	// this long. Going on too early costs one spare announce to the next
	// tracker, which announce_to_all_tiers users pay on every announce.
	DefaultFailoverAfter = 3 * time.Second
)

// minIntervalFloor is the least "min interval" we apply (libtorrent's
// default when a tracker sends none): ForceReannounce never announces to a
// working tracker more often than this.
const minIntervalFloor = 30 * time.Second

// effective returns s with every zero field replaced by its default.
func (s Settings) effective() Settings {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if s.MaxFailCount == 0 {
		s.MaxFailCount = DefaultMaxFailCount
	}
	if s.BackoffPercent <= 0 {
		s.BackoffPercent = DefaultBackoffPercent
	}
	def(&s.BackoffMin, DefaultBackoffMin)
	def(&s.BackoffMax, DefaultBackoffMax)
	def(&s.MinAnnounceInterval, DefaultMinAnnounceInterval)
	def(&s.MaxAnnounceInterval, DefaultMaxAnnounceInterval)
	def(&s.DefaultInterval, DefaultInterval)
	def(&s.AttemptEvery, DefaultAttemptEvery)
	if s.FailoverAfter == 0 {
		s.FailoverAfter = DefaultFailoverAfter
	}
	if s.AttemptBurst <= 0 {
		s.AttemptBurst = DefaultAttemptBurst
	}
	if s.MaxTrackers <= 0 {
		s.MaxTrackers = DefaultMaxTrackers
	}
	if s.BackoffMax < s.BackoffMin {
		s.BackoffMax = s.BackoffMin
	}
	if s.MaxAnnounceInterval < s.MinAnnounceInterval {
		s.MaxAnnounceInterval = s.MinAnnounceInterval
	}
	return s
}

// failLimit is MaxFailCount as libtorrent's announce_entry.fail_limit
// reports it: 0 for unlimited.
func (s Settings) failLimit() int {
	if s.MaxFailCount < 0 {
		return 0
	}
	return s.MaxFailCount
}

// Backoff is the delay before retrying a tracker after its fails-th failure
// in a row (libtorrent's announce_entry::failed): 17.5 s, 55 s, 117.5 s,
// 205 s, … with the defaults, never more than BackoffMax.
func (s Settings) Backoff(fails int) time.Duration {
	s = s.effective()
	if fails < 1 {
		fails = 1
	}
	// float64 because BackoffMin·n²·percent overflows int64 nanoseconds long
	// before a large MaxFailCount (or an unlimited one) runs out.
	n := float64(fails)
	d := float64(s.BackoffMin) * (1 + n*n*float64(s.BackoffPercent)/100)
	if d >= float64(s.BackoffMax) {
		return s.BackoffMax
	}
	return time.Duration(d)
}

// interval clamps a tracker's interval (0 = not sent) to the settings.
func (s Settings) interval(d time.Duration) time.Duration {
	if d <= 0 {
		d = s.DefaultInterval
	}
	return min(max(d, s.MinAnnounceInterval), s.MaxAnnounceInterval)
}

// minInterval clamps a tracker's min interval to [floor, interval].
func (s Settings) minInterval(d, interval time.Duration) time.Duration {
	return min(max(d, minIntervalFloor), interval)
}
