package sessionstate

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// The interop tests run testdata/lt_state.py under python3-libtorrent 2.0.8:
// libtorrent loads the states we encode (and must end up with exactly the
// settings SettingsToLoad says), and saves states we decode. Every session
// there stays on 127.0.0.1.

func requireLibtorrent(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped in -short mode: runs python3-libtorrent")
	}
	if err := interop.Available(); err != nil {
		t.Skip(err)
	}
}

// ltFlagNames maps our flags (1.0's values) to libtorrent 2.0.8's names;
// the numbers differ past SaveDHTState. SaveFeeds, SaveExtensionState and
// SaveIPFilter have no name in 2.0.8's python binding.
var ltFlagNames = []struct {
	flag Flags
	name string
}{
	{SaveSettings, "save_settings"},
	{SaveDHTSettings, "save_dht_settings"},
	{SaveDHTState, "save_dht_state"},
	{SaveProxy, "save_proxy"},
	{SaveI2PProxy, "save_i2p_proxy"},
	{SaveEncryptionSettings, "save_encryption_settings"},
	{SaveAsMap, "save_as_map"},
}

// flagArgs is the --flags argument for flags (none for SaveAll, which is
// libtorrent's default 0xffffffff).
func flagArgs(t *testing.T, flags Flags) []string {
	if flags == SaveAll {
		return nil
	}
	var names []string
	for _, f := range ltFlagNames {
		if flags&f.flag != 0 {
			names = append(names, f.name)
			flags &^= f.flag
		}
	}
	if flags != 0 {
		t.Fatalf("flags %#x have no libtorrent name", flags)
	}
	return []string{"--flags", strings.Join(names, ",")}
}

// runScript runs lt_state.py and decodes its JSON report into out. The
// process is killed if it outlives its timeout.
func runScript(t *testing.T, out any, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, interop.Python, append([]string{filepath.Join("testdata", "lt_state.py")}, args...)...)
	cmd.WaitDelay = 2 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("lt_state.py %v: %v\nstdout: %s\nstderr: %s", args, err, stdout.Bytes(), stderr.Bytes())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("lt_state.py %v: bad report %q: %v", args, stdout.Bytes(), err)
	}
}

type loadReport struct {
	Before  json.RawMessage `json:"before"`
	After   json.RawMessage `json:"after"`
	NodeIDs []string        `json:"node_ids"`
}

// ltLoad has libtorrent load state with flags and returns its settings
// before and after, and the node ids its DHT then uses (with dht).
// With restart, the DHT is restarted after the load: libtorrent starts the
// loaded "dht state" at once only when it loads no "settings" with it.
func ltLoad(t *testing.T, state []byte, flags Flags, dht, restart bool) (before, after map[string]Value, nodeIDs []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state")
	if err := os.WriteFile(path, state, 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"load", "--state", path}, flagArgs(t, flags)...)
	if dht {
		args = append(args, "--dht")
	}
	if restart {
		args = append(args, "--restart-dht")
	}
	var rep loadReport
	runScript(t, &rep, args...)
	return tableFromJSON(t, rep.Before), tableFromJSON(t, rep.After), rep.NodeIDs
}

// checkLoaded checks that libtorrent changed exactly the settings
// SettingsToLoad predicts, to the predicted values.
func checkLoaded(t *testing.T, st State, flags Flags, before, after map[string]Value) {
	t.Helper()
	want := st.SettingsToLoad(flags)
	for name, v := range want {
		if got, ok := after[name]; !ok || got != v {
			t.Errorf("libtorrent has %s = %v after the load, want %v", name, got, v)
		}
	}
	for name, v := range after {
		if before[name] != v {
			if _, ok := want[name]; !ok {
				t.Errorf("libtorrent changed %s from %v to %v, which SettingsToLoad does not load", name, before[name], v)
			}
		}
	}
}

// ourSettings are non-default values of every kind, safe for a loopback
// session (the proxy is a closed loopback port, only used for peers and
// trackers), including user_agent and peer_fingerprint, which load_state
// must leave alone.
var ourSettings = map[string]Value{
	"user_agent":               StringValue("actorrent/0.1"),
	"peer_fingerprint":         StringValue("-AT0100-"),
	"handshake_client_version": StringValue("actorrent 0.1"),
	"proxy_hostname":           StringValue("127.0.0.1"),
	"proxy_username":           StringValue("ours"),
	"proxy_port":               IntValue(9),
	"upload_rate_limit":        IntValue(77777),
	"connections_limit":        IntValue(123),
	"active_seeds":             IntValue(-1),
	"out_enc_policy":           IntValue(2),
	"dht_max_peers_reply":      IntValue(42),
	"dht_search_branching":     IntValue(4),
	"prefer_rc4":               BoolValue(true),
	"proxy_hostnames":          BoolValue(false),
	"strict_super_seeding":     BoolValue(true),
	"dht_privacy_lookups":      BoolValue(true),
	"dht_read_only":            BoolValue(true),
}

// TestLibtorrentLoadsOurs: a state we encode from our settings loads in
// libtorrent with each flag set, with exactly the effect SettingsToLoad
// computes, and libtorrent's DHT takes our node id.
func TestLibtorrentLoadsOurs(t *testing.T) {
	requireLibtorrent(t)
	defaults := ltDefaults(t)
	current := maps.Clone(defaults)
	maps.Copy(current, ourSettings)
	// The session the script loads into runs on loopback only; keep those
	// settings, or the load would change them back.
	maps.Copy(current, map[string]Value{
		"listen_interfaces": StringValue("127.0.0.1:0"), "dht_bootstrap_nodes": StringValue(""),
		"enable_lsd": BoolValue(false), "enable_upnp": BoolValue(false), "enable_natpmp": BoolValue(false),
	})
	var id [20]byte
	copy(id[:], "actorrent-node-id-01")
	dht := &DHTState{
		NodeIDs: []NodeID{{ID: id, Addr: netip.MustParseAddr("127.0.0.1")}},
		Nodes:   []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:9")},
	}
	st := ForSave(current, defaults, dht)
	data, err := Encode(st, SaveAll)
	if err != nil {
		t.Fatal(err)
	}
	// Libtorrent must see what we meant: decode our bytes with its table.
	decoded, err := Decode(data, KindsOf(defaults))
	if err != nil || len(decoded.Ignored) != 0 {
		t.Fatalf("Decode(ours): %v, ignored %v", err, decoded.Ignored)
	}
	for _, tc := range []struct {
		name         string
		flags        Flags
		dht, restart bool
	}{
		{"all", SaveAll, true, true},
		{"settings", SaveSettings, false, false},
		{"dht settings", SaveDHTSettings, false, false},
		{"dht state", SaveDHTState, true, false},
		{"proxy and encryption", SaveProxy | SaveEncryptionSettings, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, after, nodeIDs := ltLoad(t, data, tc.flags, tc.dht, tc.restart)
			checkLoaded(t, decoded, tc.flags, before, after)
			if tc.flags&SaveSettings != 0 && after["upload_rate_limit"] != IntValue(77777) {
				t.Errorf("upload_rate_limit %v: our settings did not load", after["upload_rate_limit"])
			}
			if !tc.dht {
				return
			}
			want := hex.EncodeToString(append(id[:], 127, 0, 0, 1))
			if !slices.Contains(nodeIDs, want) {
				t.Errorf("libtorrent's node ids %q lack ours %s", nodeIDs, want)
			}
		})
	}
}

// TestLibtorrentLoadsLegacy checks the load order and leniency the package
// doc describes against libtorrent itself: 1.0's "proxy" and "encryption"
// dicts, "dht" overriding "settings", skipped user_agent, wrong types,
// unknown names, an int setting given as a bool and a bool as 7.
func TestLibtorrentLoadsLegacy(t *testing.T) {
	requireLibtorrent(t)
	in := bencoded(t, map[string]any{
		"dht":        map[string]any{"max_peers": 22, "read_only": 1, "bogus": 1, "max_torrents": "x"},
		"encryption": map[string]any{"allowed_enc_level": 1, "in_enc_policy": 2, "prefer_rc4": 0},
		"proxy":      map[string]any{"hostname": "127.0.0.1", "port": 1234, "proxy_hostnames": 0, "type": "bad"},
		"settings": map[string]any{
			"dht_max_peers": 11, "in_enc_policy": 1, "prefer_rc4": 7, "proxy_port": 99,
			"user_agent": "zz", "peer_fingerprint": "-ZZ0000-", "upload_rate_limit": "abc",
			"unknown_setting": 5, "connections_limit": []any{1}, "download_rate_limit": 4321,
		},
	})
	st, err := Decode(in, ltKinds(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		flags Flags
	}{
		{"all", SaveAll},
		{"settings", SaveSettings},
		{"dht settings", SaveDHTSettings},
		{"proxy", SaveProxy},
		{"dht state", SaveDHTState},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, after, _ := ltLoad(t, in, tc.flags, false, false)
			checkLoaded(t, st, tc.flags, before, after)
		})
	}
}

type saveReport struct {
	State    string          `json:"state"`
	Settings json.RawMessage `json:"settings"`
}

// TestLibtorrentSavesWeLoad: libtorrent saves our settings (applied
// through its API), with each flag, and we decode the very values, typed.
func TestLibtorrentSavesWeLoad(t *testing.T) {
	requireLibtorrent(t)
	defaults := ltDefaults(t)
	kinds := KindsOf(defaults)
	apply := map[string]any{}
	for name, v := range ourSettings {
		switch v.Kind {
		case KindString:
			apply[name] = v.Str
		case KindInt:
			apply[name] = v.Int
		case KindBool:
			apply[name] = v.Bool
		}
	}
	settingsJSON, err := json.Marshal(apply)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		flags Flags
		dht   bool
		keys  []string
	}{
		{"all", SaveAll, true, []string{"dht", "dht state", "settings"}},
		{"settings", SaveSettings, false, []string{"settings"}},
		{"dht settings", SaveDHTSettings, false, []string{"dht"}},
		{"dht state", SaveDHTState, true, []string{"dht state"}},
		{"encryption", SaveEncryptionSettings, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"save", "--settings", string(settingsJSON)}, flagArgs(t, tc.flags)...)
			if tc.dht {
				args = append(args, "--dht")
			}
			var rep saveReport
			runScript(t, &rep, args...)
			data, err := hex.DecodeString(rep.State)
			if err != nil {
				t.Fatal(err)
			}
			current := tableFromJSON(t, rep.Settings)
			st, err := Decode(data, kinds)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Ignored) != 0 || len(st.Other) != 0 {
				t.Errorf("ignored %v, other %v", st.Ignored, st.Other)
			}
			if got := presentKeys(st); !slices.Equal(got, tc.keys) {
				t.Errorf("keys %q, want %q", got, tc.keys)
			}
			if st.Settings != nil {
				if want := NonDefault(current, defaults); !maps.Equal(st.Settings, want) {
					t.Errorf("settings:\n got %v\nwant %v", st.Settings, want)
				}
				for name, v := range ourSettings {
					if st.Settings[name] != v {
						t.Errorf("%s = %v, want %v", name, st.Settings[name], v)
					}
				}
			}
			if st.DHTSettings != nil && !maps.Equal(st.DHTSettings, LegacyDHTSettings(current)) {
				t.Errorf("dht settings %v, want %v", st.DHTSettings, LegacyDHTSettings(current))
			}
			if tc.dht && (len(st.DHT.NodeIDs) != 1 || st.DHT.NodeIDs[0].Addr != netip.MustParseAddr("127.0.0.1")) {
				t.Errorf("dht state %+v", st.DHT)
			}
			enc, err := Encode(st, tc.flags)
			if err != nil || !bytes.Equal(enc, data) {
				t.Errorf("re-encoded (%v):\n got %q\nwant %q", err, enc, data)
			}
		})
	}
}
