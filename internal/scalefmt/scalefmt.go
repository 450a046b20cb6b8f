// Package scalefmt is the JSON object a scale child prints for make
// bench's scale_* lines: `demo scale` (ours) and lt_scale.py
// (libtorrent) write it with the same keys, cmd/bench reads it.
package scalefmt

// Result is one child's figures; a field its mode does not measure is
// zero.
type Result struct {
	// add: seconds to add the torrents, VmRSS before and after (KiB),
	// and the Go heap in use after (ours only).
	Seconds      float64 `json:"seconds"`
	RSSBeforeKiB int64   `json:"rss_before_kib"`
	RSSAfterKiB  int64   `json:"rss_after_kib"`
	HeapKiB      int64   `json:"heap_kib"`

	// idle: seconds to add and check the torrents, one bulk status
	// (seconds, torrents), CPU and wall seconds over the idle time, and
	// seconds to close.
	AddSeconds    float64 `json:"add_seconds"`
	StatusSeconds float64 `json:"status_seconds"`
	StatusCount   int     `json:"status_count"`
	CPUSeconds    float64 `json:"cpu_seconds"`
	WallSeconds   float64 `json:"wall_seconds"`
	CloseSeconds  float64 `json:"close_seconds"`
}
