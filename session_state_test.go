package actorrent

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/bencodex"
	"github.com/actorrent/actorrent/internal/sessionstate"
)

// stateTestSettings are non-default settings of every kind that a loopback
// test session can run with, including user_agent and peer_fingerprint
// (which a load must leave alone) and cache_size at libtorrent's default,
// which is not ours.
var stateTestSettings = map[string]any{
	"connections_limit":        123,
	"active_downloads":         7,
	"active_seeds":             -1,
	"upload_rate_limit":        77777,
	"download_rate_limit":      88888,
	"cache_size":               1024,
	"announce_to_all_trackers": true,
	"strict_super_seeding":     true,
	"rate_limit_ip_overhead":   false,
	"handshake_client_version": "state test 1",
	"user_agent":               "state-test/1",
	"peer_fingerprint":         "-ST0001-",
}

func stateCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// packFrom is a pack setting values (name -> string, int or bool).
func packFrom(t *testing.T, values map[string]any) SettingsPack {
	t.Helper()
	var p SettingsPack
	for name, v := range values {
		if err := p.SetByName(name, v); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// currentSettings is every setting of s by name.
func currentSettings(ctx context.Context, t *testing.T, s *Session) map[string]any {
	t.Helper()
	p, err := s.GetSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return p.values
}

// changedSettings lists the names whose values differ between a and b.
func changedSettings(a, b map[string]any) []string {
	var out []string
	for name, v := range a {
		if b[name] != v {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func saveState(ctx context.Context, t *testing.T, s *Session, flags SaveStateFlags) []byte {
	t.Helper()
	data, err := s.SaveState(ctx, flags)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func loadState(ctx context.Context, t *testing.T, s *Session, data []byte, flags ...SaveStateFlags) LoadStateResult {
	t.Helper()
	res, err := s.LoadState(ctx, data, flags...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// ignoredKeys are the unquoted keys of res.Ignored, sorted.
func ignoredKeys(t *testing.T, res LoadStateResult) []string {
	t.Helper()
	var out []string
	for _, e := range res.Ignored {
		k, err := strconv.Unquote(e.Key)
		if err != nil {
			t.Fatalf("ignored key %s is not quoted: %v", e.Key, err)
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// stateDict decodes a state's root dictionary: key -> raw value.
func stateDict(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	isDict, err := bencodex.DictEach(data, func(k string, raw []byte) (bool, error) {
		out[k] = raw
		return true, nil
	})
	if err != nil || !isDict {
		t.Fatalf("state %q is not a dictionary: %v", data, err)
	}
	return out
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := bencodex.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Non-default settings saved by one session and loaded into a fresh one
// give the same settings, except the client's own names.
func TestSaveLoadStateRoundTrip(t *testing.T) {
	ctx := stateCtx(t)
	a := newTestSession(t)
	if err := a.ApplySettings(ctx, packFrom(t, stateTestSettings)); err != nil {
		t.Fatal(err)
	}
	data := saveState(ctx, t, a, SaveStateAll)

	b := newTestSession(t)
	before := currentSettings(ctx, t, b)
	res := loadState(ctx, t, b, data)
	after := currentSettings(ctx, t, b)
	want := currentSettings(ctx, t, a)
	for _, name := range clientSettings {
		want[name] = before[name]
	}
	if diff := changedSettings(want, after); diff != nil {
		for _, name := range diff {
			t.Errorf("%s = %v after the load, saved %v", name, after[name], want[name])
		}
	}
	wantApplied := changedSettings(currentSettings(ctx, t, a), DefaultSettings().values)
	wantApplied = slices.DeleteFunc(wantApplied, func(n string) bool { return slices.Contains(clientSettings, n) })
	if !slices.Equal(res.Applied, wantApplied) {
		t.Errorf("Applied = %v, want %v", res.Applied, wantApplied)
	}
	if got := ignoredKeys(t, res); !slices.Equal(got, []string{"peer_fingerprint", "user_agent"}) {
		t.Errorf("Ignored = %v, want the client's names only", res.Ignored)
	}
	// And saved again, it is the same state but for those two names.
	again := saveState(ctx, t, b, SaveStateAll)
	var p SettingsPack
	p.SetStr(UserAgent, stateTestSettings["user_agent"].(string))
	p.SetStr(PeerFingerprint, stateTestSettings["peer_fingerprint"].(string))
	if err := b.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	if again2 := saveState(ctx, t, b, SaveStateAll); !bytes.Equal(again2, data) || bytes.Equal(again, data) {
		t.Errorf("saved again:\n%q\nwant\n%q", again2, data)
	}
}

// Each flag saves its part: "settings" lists exactly the non-default
// settings, "dht" is libtorrent's own dict of a session with default DHT
// settings, and nothing writes "dht state" or 1.0's other dicts.
func TestSaveStateFlags(t *testing.T) {
	ctx := stateCtx(t)
	s := newTestSession(t)
	ltDHT, ok, err := bencodex.DictValue(readLtFile(t, "lt208_default.state"), "dht")
	if err != nil || !ok {
		t.Fatalf("lt208_default.state has no dht dict: %v", err)
	}
	nonDefault := changedSettings(currentSettings(ctx, t, s), DefaultSettings().values)
	for _, tc := range []struct {
		name  string
		flags SaveStateFlags
		keys  []string
	}{
		{"none", 0, nil},
		{"settings", SaveSettings, []string{"settings"}},
		{"dht settings", SaveDHTSettings, []string{"dht"}},
		{"dht state", SaveDHTState, nil},
		{"1.0 dicts", SaveProxy | SaveI2PProxy | SaveEncryptionSettings | SaveAsMap | SaveFeeds, nil},
		{"2.0 session params bits", 0x800 | 0x1000, nil},
		{"all", SaveStateAll, []string{"dht", "settings"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := saveState(ctx, t, s, tc.flags)
			root := stateDict(t, data)
			if got := slices.Sorted(maps.Keys(root)); !slices.Equal(got, tc.keys) {
				t.Fatalf("keys %v, want %v (state %q)", got, tc.keys, data)
			}
			if raw, ok := root["dht"]; ok && !bytes.Equal(raw, ltDHT) {
				t.Errorf("dht dict\n%q\nlibtorrent 2.0.8 writes\n%q", raw, ltDHT)
			}
			if raw, ok := root["settings"]; ok {
				sett := stateDict(t, raw)
				if got := slices.Sorted(maps.Keys(sett)); !slices.Equal(got, nonDefault) {
					t.Errorf("settings %v, want the non-default %v", got, nonDefault)
				}
			}
		})
	}
	// A session at every default saves an empty "settings", as libtorrent.
	if err := s.ApplySettings(ctx, DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	if got := saveState(ctx, t, s, SaveSettings); string(got) != "d8:settingsdee" {
		t.Errorf("defaults saved as %q", got)
	}
}

// loadFlagsState has a part for every flag: "settings", the "dht" dict (a
// field off its default), 1.0's "proxy" and "encryption" dicts, and
// "dht state".
func loadFlagsState(t *testing.T) []byte {
	return mustMarshal(t, map[string]any{
		"settings":   map[string]any{"connections_limit": 55, "dht_max_peers_reply": 50},
		"dht":        map[string]any{"max_peers_reply": 60, "search_branching": 5},
		"proxy":      map[string]any{"port": 1080, "hostname": "127.0.0.1"},
		"encryption": map[string]any{"out_enc_policy": 2},
		"dht state":  map[string]any{"node-id": "01234567890123456789"},
	})
}

// The flags select what loads, in libtorrent's order and with its quirks
// ("settings" loads with SaveDHTSettings too, "encryption" always).
func TestLoadStateFlags(t *testing.T) {
	ctx := stateCtx(t)
	s := newTestSession(t)
	data := loadFlagsState(t)
	base := currentSettings(ctx, t, s)
	encryption := []string{"out_enc_policy"}
	settingsPart := []string{"connections_limit", "out_enc_policy"}
	for _, tc := range []struct {
		name    string
		flags   []SaveStateFlags
		applied []string
		ignored []string
	}{
		{"default is all", nil, []string{"connections_limit", "out_enc_policy", "proxy_hostname", "proxy_port"}, nil},
		{"all", []SaveStateFlags{SaveStateAll}, []string{"connections_limit", "out_enc_policy", "proxy_hostname", "proxy_port"}, nil},
		{"zero", []SaveStateFlags{0}, encryption, nil},
		{"settings", []SaveStateFlags{SaveSettings}, settingsPart, nil},
		{"dht settings", []SaveStateFlags{SaveDHTSettings}, settingsPart, nil},
		{"dht state", []SaveStateFlags{SaveDHTState}, encryption, nil},
		{"proxy", []SaveStateFlags{SaveProxy}, []string{"out_enc_policy", "proxy_hostname", "proxy_port"}, nil},
		{"or-ed", []SaveStateFlags{SaveSettings, SaveProxy},
			[]string{"connections_limit", "out_enc_policy", "proxy_hostname", "proxy_port"}, nil},
		{"encryption flag changes nothing", []SaveStateFlags{SaveEncryptionSettings}, encryption, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.ApplySettings(ctx, packFrom(t, base)); err != nil {
				t.Fatal(err)
			}
			res := loadState(ctx, t, s, data, tc.flags...)
			if !slices.Equal(res.Applied, tc.applied) {
				t.Errorf("Applied = %v, want %v", res.Applied, tc.applied)
			}
			if got := ignoredKeys(t, res); !slices.Equal(got, tc.ignored) {
				t.Errorf("Ignored = %v, want %v", res.Ignored, tc.ignored)
			}
			after := currentSettings(ctx, t, s)
			if got := changedSettings(base, after); !slices.Equal(got, tc.applied) {
				t.Errorf("changed %v, want %v", got, tc.applied)
			}
			want := map[string]any{"connections_limit": 55, "out_enc_policy": 2, "proxy_port": 1080, "proxy_hostname": "127.0.0.1"}
			for _, name := range tc.applied {
				if after[name] != want[name] {
					t.Errorf("%s = %v, want %v", name, after[name], want[name])
				}
			}
		})
	}
}

// Entries libtorrent would skip are skipped and reported; the rest loads.
func TestLoadStateSkipsWhatItCannotTake(t *testing.T) {
	ctx := stateCtx(t)
	s := newTestSession(t)
	before := currentSettings(ctx, t, s)
	data := mustMarshal(t, map[string]any{
		"settings": map[string]any{
			"upload_rate_limit":     5000,           // loads
			"enable_incoming_tcp":   0,              // an int for a bool: false
			"connections_limit":     "many",         // wrong type
			"num_want":              []any{1},       // a list
			"active_downloads":      -7,             // out of our range
			"no_such_setting":       1,              // unknown
			"user_agent":            "other/1",      // the client's own
			"peer_fingerprint":      "-OT0001-",     // the client's own
			"max_out_request_queue": int64(1) << 33, // beyond a C int
		},
		"dht":        "not a dict",
		"extensions": map[string]any{"plugin": "opaque"}, // not read by load_state
	})
	res := loadState(ctx, t, s, data)
	if want := []string{"enable_incoming_tcp", "upload_rate_limit"}; !slices.Equal(res.Applied, want) {
		t.Errorf("Applied = %v, want %v", res.Applied, want)
	}
	wantIgnored := []string{"active_downloads", "dht", "peer_fingerprint", "settings.connections_limit",
		"settings.max_out_request_queue", "settings.no_such_setting", "settings.num_want", "user_agent"}
	if got := ignoredKeys(t, res); !slices.Equal(got, wantIgnored) {
		t.Errorf("Ignored = %v, want keys %v", res.Ignored, wantIgnored)
	}
	for _, e := range res.Ignored {
		if e.Reason == "" || !strings.Contains(e.String(), e.Reason) {
			t.Errorf("entry %v has no reason", e)
		}
	}
	after := currentSettings(ctx, t, s)
	if got := changedSettings(before, after); !slices.Equal(got, res.Applied) {
		t.Errorf("changed %v, want %v", got, res.Applied)
	}
	if after["upload_rate_limit"] != 5000 || after["enable_incoming_tcp"] != false {
		t.Errorf("upload_rate_limit %v enable_incoming_tcp %v", after["upload_rate_limit"], after["enable_incoming_tcp"])
	}
}

// Bytes that are not a state are refused with ErrInvalidSessionState and
// change nothing; libtorrent's leniencies (trailing bytes) are kept.
func TestLoadStateMalformed(t *testing.T) {
	ctx := stateCtx(t)
	s := newTestSession(t)
	if err := s.ApplySettings(ctx, packFrom(t, map[string]any{"connections_limit": 99})); err != nil {
		t.Fatal(err)
	}
	before := currentSettings(ctx, t, s)
	tooMany := map[string]any{"connections_limit": 1}
	for i := range 1 << 14 {
		tooMany[fmt.Sprintf("unknown_%05d", i)] = 1
	}
	// A valid state followed by trailing bytes, which load, up to the limit.
	oversized := make([]byte, sessionstate.MaxSize+1)
	copy(oversized, "d8:settingsd17:connections_limiti1eee")
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not bencode", []byte("hello")},
		{"a list", []byte("li1ee")},
		{"an integer", []byte("i5e")},
		{"truncated", []byte("d8:settingsd17:connections_limiti1e")},
		{"string longer than the input", []byte("d8:settings99:x")},
		{"deep", append(append([]byte("d1:a"), bytes.Repeat([]byte("l"), 200)...), bytes.Repeat([]byte("e"), 201)...)},
		{"oversized", oversized},
		{"too many settings", mustMarshal(t, map[string]any{"settings": tooMany})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.LoadState(ctx, tc.data)
			if !errors.Is(err, ErrInvalidSessionState) {
				t.Fatalf("LoadState = %v, %v; want ErrInvalidSessionState", res, err)
			}
			if res.Applied != nil || res.Ignored != nil {
				t.Errorf("result %v with the error", res)
			}
			if got := changedSettings(before, currentSettings(ctx, t, s)); got != nil {
				t.Errorf("changed %v", got)
			}
		})
	}
	res := loadState(ctx, t, s, []byte("d8:settingsd17:connections_limiti42eee trailing bytes"))
	if !slices.Equal(res.Applied, []string{"connections_limit"}) {
		t.Errorf("trailing bytes: Applied %v", res.Applied)
	}
}

// A closed session refuses both calls.
func TestSaveLoadStateClosedSession(t *testing.T) {
	ctx := stateCtx(t)
	s, err := NewSession(ctx, testSettings())
	if err != nil {
		t.Fatal(err)
	}
	data := saveState(ctx, t, s, SaveStateAll)
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveState(ctx, SaveStateAll); !errors.Is(err, ErrSessionClosed) {
		t.Errorf("SaveState after Close: %v", err)
	}
	if _, err := s.LoadState(ctx, data); !errors.Is(err, ErrSessionClosed) {
		t.Errorf("LoadState after Close: %v", err)
	}
}
