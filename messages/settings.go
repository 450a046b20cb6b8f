package messages

import "github.com/actorrent/actorrent/internal/settings"

// ApplySettings asks the session to change the named settings (name →
// string, int or bool); replied with ApplySettingsReply.
type ApplySettings struct {
	Values map[string]any
}

// ApplySettingsReply: Err is set when a value was invalid (nothing was
// applied then).
type ApplySettingsReply struct {
	Err error
}

// GetSettings asks the session for its settings; replied with
// GetSettingsReply.
type GetSettings struct{}

// GetSettingsReply carries the current snapshot.
type GetSettingsReply struct {
	Settings *settings.Snapshot
}

// SettingsChanged hands an actor the session's new settings. The snapshot
// is immutable and shared by every actor: read it, never change it.
type SettingsChanged struct {
	Settings *settings.Snapshot
}
