package settings

import (
	"errors"
	"testing"
)

func TestEveryNameOnceWithItsDefault(t *testing.T) {
	seen := map[string]bool{}
	counts := map[Kind]int{}
	for _, d := range All() {
		if seen[d.Name] {
			t.Errorf("%s twice", d.Name)
		}
		seen[d.Name] = true
		counts[d.Kind]++
		v, ok := Default().Get(d.Name)
		if !ok {
			t.Fatalf("%s: no default", d.Name)
		}
		if err := Validate(d.Name, v); err != nil {
			t.Errorf("the default of %s is invalid: %v", d.Name, err)
		}
	}
	// libtorrent's settings_pack: 12 strings, 131 ints, 69 bools.
	if counts[KindStr] != 12 || counts[KindInt] != 131 || counts[KindBool] != 69 {
		t.Errorf("counts %v", counts)
	}
	for name, want := range map[string]any{
		"connection_speed": 30, "active_downloads": 3, "active_seeds": 5, "active_limit": 500,
		"upload_rate_limit": 0, "tick_interval": 500, "enable_incoming_tcp": true, "listen_interfaces": "0.0.0.0:6881",
		"alert_mask": 1, "file_pool_size": 40, "peer_timeout": 120, "share_ratio_limit": 200,
	} {
		if got, _ := Default().Get(name); got != want {
			t.Errorf("default %s = %v, want libtorrent's %v", name, got, want)
		}
	}
}

func TestWithValidatesAllOrNothing(t *testing.T) {
	base := Default()
	s, err := base.With(map[string]any{"upload_rate_limit": 1000, "user_agent": "x"})
	if err != nil || s.Int(UploadRateLimit) != 1000 || s.Str(UserAgent) != "x" {
		t.Fatalf("With: %v", err)
	}
	if base.Int(UploadRateLimit) != 0 {
		t.Fatal("With changed its receiver")
	}
	for _, bad := range []map[string]any{
		{"no_such_setting": 1},
		{"upload_rate_limit": "fast"},
		{"upload_rate_limit": -5},
		{"choking_algorithm": 9},
		{"enable_dht": 1},
		{"user_agent": 3, "upload_rate_limit": 10},
	} {
		_, err := s.With(bad)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%v: err %v", bad, err)
		}
	}
	if got := s.Changed(base); len(got) != 2 {
		t.Errorf("Changed %v", got)
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       any
		ok         bool
	}{
		{"upload_rate_limit", "2000000", 2000000, true},
		{"upload_rate_limit", "2M", nil, false},
		{"enable_dht", "false", false, true},
		{"enable_dht", "0", false, true},
		{"enable_dht", "maybe", nil, false},
		{"user_agent", "x/1", "x/1", true},
		{"active_downloads", "-1", -1, true},
		{"active_downloads", "-2", nil, false},
		{"nope", "1", nil, false},
	} {
		v, err := Parse(c.name, c.text)
		if c.ok != (err == nil) || (c.ok && v != c.want) {
			t.Errorf("Parse(%s, %s) = %v, %v", c.name, c.text, v, err)
		}
	}
}
