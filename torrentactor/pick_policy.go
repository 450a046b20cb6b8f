package torrentactor

import (
	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/internal/settings"
)

// pickPolicy is the picker's part of the settings (piecepicker.Policy),
// set when the picker is made and again when the settings change.
func pickPolicy(s *settings.Snapshot) piecepicker.Policy {
	return piecepicker.Policy{
		RandomBelow:    s.Int(settings.InitialPickerThreshold),
		LooseEndGame:   !s.Bool(settings.StrictEndGameMode),
		AutoSequential: s.Bool(settings.AutoSequential),
	}
}
