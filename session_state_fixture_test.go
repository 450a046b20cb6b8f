package actorrent

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/settings"
)

// Loading what libtorrent 2.0.8 saved, with the fixtures and settings
// tables internal/sessionstate committed (the interop tests make fresh ones).

// ltStateTestdata holds the states libtorrent 2.0.8 saved, and its
// settings tables, committed by internal/sessionstate.
var ltStateTestdata = filepath.Join("internal", "sessionstate", "testdata")

// ltTable reads one of libtorrent's settings tables (name -> value) as the
// facade's values (string, int, bool).
func ltTable(t *testing.T, b []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("settings table: %v", err)
	}
	for k, v := range m {
		if n, ok := v.(json.Number); ok {
			i, err := strconv.Atoi(n.String())
			if err != nil {
				t.Fatalf("setting %s: %v", k, err)
			}
			m[k] = i
		}
	}
	return m
}

func readLtFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ltStateTestdata, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dhtSettingsDefaults are the values libtorrent 2.0.8 itself reports.
func TestSaveStateDHTDefaultsAreLibtorrents(t *testing.T) {
	lt := ltTable(t, readLtFile(t, "lt208_defaults.json"))
	for name, v := range dhtSettingsDefaults {
		if got := stateValue(lt[name]); got != v {
			t.Errorf("%s: ours %v, libtorrent's %v", name, v, got)
		}
	}
	if len(dhtSettingsDefaults) != 18 {
		t.Errorf("%d dht settings, 1.x's dht_settings has 18", len(dhtSettingsDefaults))
	}
}

// checkLoadedLibtorrentState checks a load of a state libtorrent saved:
// lt is libtorrent's get_settings when it saved (the state holds the
// settings that differ from ltDefaults, and the "dht" dict). Each setting
// this engine has now has libtorrent's value, but the client's names; the
// others are reported, but "dht" fields at their defaults; nothing else
// changed.
func checkLoadedLibtorrentState(t *testing.T, before, after, lt, ltDefaults map[string]any, res LoadStateResult) {
	t.Helper()
	ignored := ignoredKeys(t, res)
	var wantApplied []string
	for name, v := range lt {
		if ltDefaults[name] == v {
			continue
		}
		_, ours := settings.Lookup(name)
		switch {
		case slices.Contains(clientSettings, name):
			if !slices.Contains(ignored, name) {
				t.Errorf("%s not reported as ignored", name)
			}
		case ours:
			wantApplied = append(wantApplied, name)
			if after[name] != v {
				t.Errorf("%s = %v after the load, libtorrent had %v", name, after[name], v)
			}
		default:
			if !slices.Contains(ignored, name) && !slices.Contains(ignored, "settings."+name) && !slices.Contains(res.AppliedDHT, name) {
				t.Errorf("%s (libtorrent's %v) neither loaded nor reported: %v", name, v, res.Ignored)
			}
		}
	}
	slices.Sort(wantApplied)
	if !slices.Equal(res.Applied, wantApplied) {
		t.Errorf("Applied = %v, want %v", res.Applied, wantApplied)
	}
	for _, name := range changedSettings(before, after) {
		if !slices.Contains(wantApplied, name) {
			t.Errorf("%s changed from %v to %v, the state does not set it", name, before[name], after[name])
		}
	}
	for _, k := range ignored {
		name := strings.TrimPrefix(k, "settings.")
		if v, ok := lt[name]; ok && ltDefaults[name] == v {
			t.Errorf("%s reported, but libtorrent had it at its default", k)
		}
	}
}

// The state libtorrent 2.0.8 saved with non-default settings of every
// kind (internal/sessionstate's fixture) loads.
func TestLoadStateLibtorrentFixture(t *testing.T) {
	ctx := stateCtx(t)
	s := newTestSession(t)
	before := currentSettings(ctx, t, s)
	res := loadState(ctx, t, s, readLtFile(t, "lt208_nondefault.state"))
	after := currentSettings(ctx, t, s)
	checkLoadedLibtorrentState(t, before, after, ltTable(t, readLtFile(t, "lt208_nondefault.json")),
		ltTable(t, readLtFile(t, "lt208_defaults.json")), res)
	for name, want := range map[string]any{"connections_limit": 321, "active_downloads": 7,
		"upload_rate_limit": 123456, "announce_to_all_trackers": true, "handshake_client_version": "fixture 1.0"} {
		if after[name] != want {
			t.Errorf("%s = %v, libtorrent saved %v", name, after[name], want)
		}
	}
}
