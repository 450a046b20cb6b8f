package torrentactor

import (
	"testing"

	"github.com/actorrent/actorrent/internal/piecepicker"
)

func TestPickPolicyFromSettings(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]any
		want piecepicker.Policy
	}{
		{"defaults", nil, piecepicker.Policy{RandomBelow: 4, AutoSequential: true, PartialsByRarity: true}},
		{"changed", map[string]any{"initial_picker_threshold": 0, "strict_end_game_mode": false, "auto_sequential": false,
			"prioritize_partial_pieces": true},
			piecepicker.Policy{LooseEndGame: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pickPolicy(withSettings(tt.set)); got != tt.want {
				t.Fatalf("policy %+v, want %+v", got, tt.want)
			}
		})
	}
}
