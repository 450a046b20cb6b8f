package interop

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrBadEvent means a line from lt_peer.py was not a JSON event object.
var ErrBadEvent = errors.New("interop: bad event line")

// Event is one JSON line printed by lt_peer.py. The common fields are
// decoded; Raw holds every field, including ones without a Go field
// (download_rate, num_peers, total_payload_download, ...).
type Event struct {
	// Event is the kind: listening, added, progress, seeding, finished,
	// alert, tracker_reply, stopped, created, info or error.
	Event string `json:"event"`
	// Port is the listen port (listening).
	Port int `json:"port"`
	// Progress is the torrent's completion in [0,1] (progress, finished).
	Progress float64 `json:"progress"`
	// Seconds is the time since the torrent was added (seeding, finished).
	Seconds float64 `json:"seconds"`
	// TotalDownload is libtorrent's total_download: all bytes received,
	// protocol overhead included (Raw has total_payload_download).
	TotalDownload int64 `json:"total_download"`
	// MaxRSSKiB is the process's peak resident set size (finished).
	MaxRSSKiB int64 `json:"max_rss_kib"`
	// CPUSeconds is the process's user+system CPU time (finished).
	CPUSeconds float64 `json:"cpu_seconds"`
	// Message is the human-readable text (alert, error, tracker_reply).
	Message string `json:"message"`
	// Type is the libtorrent alert type, e.g. "peer_disconnected" (alert).
	Type string `json:"type"`
	// State is libtorrent's torrent state, e.g. "downloading" (progress).
	State string `json:"state"`
	// InfoHash is the v1 info-hash in hex (added, created, info).
	InfoHash string `json:"info_hash"`
	// Raw is the whole decoded object.
	Raw map[string]any `json:"-"`
}

// parseEvent decodes one line. It never panics: the line comes from another
// process and may be anything (a Python traceback, say).
func parseEvent(line []byte) (Event, error) {
	var raw map[string]any
	if err := json.Unmarshal(line, &raw); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrBadEvent, err)
	}
	if raw == nil {
		return Event{}, fmt.Errorf("%w: not an object", ErrBadEvent)
	}
	var ev Event
	if err := json.Unmarshal(line, &ev); err != nil {
		// Right shape, wrong types (e.g. "port":"x"): still unusable.
		return Event{}, fmt.Errorf("%w: %v", ErrBadEvent, err)
	}
	if ev.Event == "" {
		return Event{}, fmt.Errorf("%w: no \"event\" field", ErrBadEvent)
	}
	ev.Raw = raw
	return ev, nil
}
