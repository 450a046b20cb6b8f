package actorrent

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// The session state crosses to libtorrent 2.0.8 and back, through
// internal/sessionstate's lt_state.py run under python3-libtorrent. Its
// sessions listen on 127.0.0.1 only, with DHT, LSD, UPnP and NAT-PMP off.

// runLtState runs lt_state.py with args and returns its JSON report.
func runLtState(ctx context.Context, t *testing.T, args ...string) map[string]json.RawMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	script := filepath.Join(ltStateTestdata, "lt_state.py")
	cmd := exec.CommandContext(ctx, interop.Python, append([]string{script}, args...)...)
	cmd.WaitDelay = 2 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("lt_state.py %v: %v\nstdout: %s\nstderr: %s", args, err, stdout.Bytes(), stderr.Bytes())
	}
	var rep map[string]json.RawMessage
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("lt_state.py %v: bad report %q: %v", args, stdout.Bytes(), err)
	}
	return rep
}

// ltSavedSettings are non-default settings of every kind for libtorrent to
// save: some this engine has, the client's names, a "dht" field, and a
// setting only libtorrent 2.0 has.
var ltSavedSettings = map[string]any{
	"connections_limit":        77,
	"active_downloads":         9,
	"upload_rate_limit":        55555,
	"announce_to_all_trackers": true,
	"rate_limit_ip_overhead":   false,
	"handshake_client_version": "lt interop 1",
	"user_agent":               "lt-interop/1",
	"peer_fingerprint":         "-LI0001-",
	"dht_max_peers_reply":      42,
	"max_web_seed_connections": 5,
}

// A state libtorrent saves loads here: GetSettings shows libtorrent's
// values, the names this engine lacks are reported, nothing else changes.
func TestInteropLoadStateFromLibtorrent(t *testing.T) {
	needInterop(t)
	ctx := stateCtx(t)
	ltDefaults := ltTable(t, readLtFile(t, "lt208_defaults.json"))
	settingsJSON, err := json.Marshal(ltSavedSettings)
	if err != nil {
		t.Fatal(err)
	}
	for _, flags := range []string{"", "save_settings", "save_settings,save_dht_settings"} {
		t.Run("flags="+flags, func(t *testing.T) {
			args := []string{"save", "--settings", string(settingsJSON)}
			if flags != "" {
				args = append(args, "--flags", flags)
			}
			rep := runLtState(ctx, t, args...)
			var stateHex string
			if err := json.Unmarshal(rep["state"], &stateHex); err != nil {
				t.Fatal(err)
			}
			state, err := hex.DecodeString(stateHex)
			if err != nil {
				t.Fatal(err)
			}
			lt := ltTable(t, rep["settings"])

			s := newTestSession(t)
			before := currentSettings(ctx, t, s)
			res := loadState(ctx, t, s, state)
			after := currentSettings(ctx, t, s)
			checkLoadedLibtorrentState(t, before, after, lt, ltDefaults, res)
			for name, want := range ltSavedSettings {
				switch name {
				case "user_agent", "peer_fingerprint":
					want = before[name]
				case "dht_max_peers_reply":
					dset, err := s.GetDHTSettings(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Contains(res.AppliedDHT, name) || dset.MaxPeersReply != want {
						t.Errorf("%s: AppliedDHT %v, MaxPeersReply %d, libtorrent saved %v", name, res.AppliedDHT, dset.MaxPeersReply, want)
					}
					continue
				case "max_web_seed_connections":
					if !slices.Contains(ignoredKeys(t, res), name) && !slices.Contains(ignoredKeys(t, res), "settings."+name) {
						t.Errorf("%s not reported: %v", name, res.Ignored)
					}
					continue
				}
				if after[name] != want {
					t.Errorf("%s = %v after the load, libtorrent saved %v", name, after[name], want)
				}
			}
		})
	}
}

// A state this engine saves loads in libtorrent: its get_settings then
// shows our values (but the client's names), and it changes nothing the
// state does not set.
func TestInteropLibtorrentLoadsOurState(t *testing.T) {
	needInterop(t)
	ctx := stateCtx(t)
	s := newTestSession(t)
	if err := s.ApplySettings(ctx, packFrom(t, stateTestSettings)); err != nil {
		t.Fatal(err)
	}
	ours := currentSettings(ctx, t, s)
	nonDefault := changedSettings(ours, DefaultSettings().values)
	for _, tc := range []struct {
		name     string
		flags    SaveStateFlags
		settings bool
	}{
		{"all", SaveStateAll, true},
		{"settings", SaveSettings, true},
		{"dht settings", SaveDHTSettings, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state")
			if err := os.WriteFile(path, saveState(ctx, t, s, tc.flags), 0o644); err != nil {
				t.Fatal(err)
			}
			rep := runLtState(ctx, t, "load", "--state", path)
			before, after := ltTable(t, rep["before"]), ltTable(t, rep["after"])
			var want []string // what libtorrent must change
			for _, name := range nonDefault {
				ltBefore, known := before[name]
				switch {
				case !known:
					continue // a 1.0 name 2.0.8 lacks; not among these
				case !tc.settings || slices.Contains(clientSettings, name):
					if after[name] != ltBefore {
						t.Errorf("libtorrent took %s = %v (had %v)", name, after[name], ltBefore)
					}
				default:
					if after[name] != ours[name] {
						t.Errorf("libtorrent has %s = %v after the load, we saved %v", name, after[name], ours[name])
					}
					want = append(want, name)
				}
			}
			for _, name := range changedSettings(before, after) {
				if !slices.Contains(want, name) {
					t.Errorf("libtorrent changed %s from %v to %v, which our state does not set", name, before[name], after[name])
				}
			}
			if tc.settings && (after["connections_limit"] != 123 || after["upload_rate_limit"] != 77777 ||
				after["strict_super_seeding"] != true || after["handshake_client_version"] != "state test 1") {
				t.Errorf("libtorrent's settings after the load: %v", after)
			}
		})
	}
}
