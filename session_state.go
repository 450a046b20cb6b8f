package actorrent

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/actorrent/actorrent/internal/dhtstate"
	"github.com/actorrent/actorrent/internal/sessionstate"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
)

// SaveStateFlags select the parts of the session state that SaveState
// writes and LoadState reads (libtorrent's save_state_flags_t). The values
// are libtorrent 1.0's, the API this package follows. libtorrent 2.0
// renumbered every flag past SaveDHTState (its save_proxy is 0x20, 1.0's
// save_encryption_settings), so a program that passes flags to libtorrent
// 2.0 as well maps them by name, not by number. The state itself carries no
// flags: states cross between the two engines either way.
type SaveStateFlags uint32

const (
	// SaveSettings saves the settings that differ from the defaults
	// ("settings").
	SaveSettings SaveStateFlags = 0x001
	// SaveDHTSettings saves 1.x's DHT settings dict ("dht"). On load it
	// also lets "settings" in, as libtorrent does.
	SaveDHTSettings SaveStateFlags = 0x002
	// SaveDHTState saves the DHT's node ids and nodes ("dht state").
	SaveDHTState SaveStateFlags = 0x004
	// SaveProxy: 1.0's "proxy" dict. It saves nothing, as in libtorrent
	// 2.0.8 (the proxy settings are in "settings"); on load it lets a 1.0
	// "proxy" dict in.
	SaveProxy SaveStateFlags = 0x008
	// SaveI2PProxy: 1.0's "i2p" dict. Saves nothing (as 2.0.8).
	SaveI2PProxy SaveStateFlags = 0x010
	// SaveEncryptionSettings: 1.0's "encryption" dict. Saves nothing (as
	// 2.0.8: the pe settings are in "settings"); a 1.0 "encryption" dict
	// loads whatever the flags, as libtorrent loads it.
	SaveEncryptionSettings SaveStateFlags = 0x020
	// SaveAsMap: 1.0's "AS map". Saves nothing (gone in 2.0).
	SaveAsMap SaveStateFlags = 0x040
	// SaveFeeds: 1.0's RSS "feeds". Saves nothing (gone in 2.0).
	SaveFeeds SaveStateFlags = 0x080
	// SaveStateAll is every flag: save_state's default, 0xffffffff.
	SaveStateAll SaveStateFlags = 0xffffffff
)

// saveStateFlagsKnown are the flags save_state has. The sessionstate codec
// also knows 2.0's write_session_params flags (extensions, IP filter),
// which save_state never writes even with 0xffffffff.
const saveStateFlagsKnown = SaveSettings | SaveDHTSettings | SaveDHTState | SaveProxy |
	SaveI2PProxy | SaveEncryptionSettings | SaveAsMap | SaveFeeds

// ErrInvalidSessionState: LoadState was given bytes that are not a
// session state: not bencode, a root that is not a dictionary, or more than
// a state can hold (64 MiB, or counts far beyond what libtorrent writes).
// Nothing was applied.
var ErrInvalidSessionState = errors.New("actorrent: invalid session state")

// LoadStateResult says what LoadState took from a state.
type LoadStateResult struct {
	// Applied lists the settings the state set (some may have had the
	// value already), sorted.
	Applied []string
	// AppliedDHT lists the dht_settings fields the state set (the "dht"
	// dict's, and 2.0's dht_ names in "settings"), by settings_pack name,
	// sorted: they went to SetDHTSettings.
	AppliedDHT []string
	// Ignored lists what the state held that LoadState did not apply,
	// and why; entries that could not be read at all are listed whatever
	// the flags. libtorrent skips the same entries silently.
	Ignored []IgnoredStateEntry
}

// IgnoredStateEntry is one part of a loaded state that was not applied.
// Key is quoted in Go syntax, because it comes from the state: a path for
// what was not readable ("settings.no_such_setting", "dht state"), or the
// name of a setting whose value this engine does not take
// ("dht_max_peers_reply", "connections_limit").
type IgnoredStateEntry struct {
	Key    string
	Reason string
}

func (e IgnoredStateEntry) String() string { return e.Key + ": " + e.Reason }

// dhtSettingsDefaults are libtorrent 2.0.8's values for the 18 fields of
// 1.x's dht_settings, which save_state writes under "dht" (as the settings
// "dht_" + field): DefaultDHTSettings. They are the defaults SaveState
// compares "settings" with, so that the dict's fields are never written
// twice.
var dhtSettingsDefaults = dhtstate.DefaultSettings().Values()

// clientSettings are set by the client software, not by its users:
// libtorrent's load_state leaves them alone, and so does LoadState.
var clientSettings = []string{"user_agent", "peer_fingerprint"}

// SaveState returns the session's state in libtorrent's bencoded format
// (session::save_state), the parts flags select; a libtorrent 2.0.8
// session loads it with load_state, and LoadState loads what libtorrent
// saves. What it holds:
//
//   - "settings" (SaveSettings): the settings that differ from this
//     engine's defaults (DefaultSettings), as libtorrent writes those
//     that differ from its own. Where the two engines' defaults differ
//     (user_agent, cache_size, max_queued_disk_bytes, ... see
//     SETTINGS.md), a setting left at ours is not written, so a libtorrent
//     that loads the state keeps its own default, and the other way round.
//     The dict is written, empty, even when nothing differs.
//   - "dht" (SaveDHTSettings): 1.x's DHT settings dict (GetDHTSettings),
//     written as libtorrent writes it even with its DHT off.
//   - "dht state" (SaveDHTState): the DHT's node id (under the address
//     its socket is bound to) and the nodes of its routing table, written
//     only while the DHT runs, as libtorrent.
//
// SaveProxy, SaveI2PProxy, SaveEncryptionSettings, SaveAsMap and SaveFeeds
// add nothing, as in libtorrent 2.0.8. Keys come out sorted, so the same
// settings always give the same bytes.
func (s *Session) SaveState(ctx context.Context, flags SaveStateFlags) ([]byte, error) {
	cur, err := s.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	dhtSet, err := s.GetDHTSettings(ctx)
	if err != nil {
		return nil, err
	}
	var dht *sessionstate.DHTState
	if flags&SaveDHTState != 0 {
		r, err := s.request(ctx, &messages.GetDHTState{})
		if err != nil {
			return nil, err
		}
		dht = r.(*messages.GetDHTStateReply).State
	}
	values := stateSettings(cur.values)
	for k, v := range dhtSet.Values() {
		values[k] = v
	}
	st := sessionstate.ForSave(values, stateDefaults(), dht)
	out, err := sessionstate.Encode(st, sessionstate.Flags(flags&saveStateFlagsKnown))
	if err != nil {
		// Every value comes from the validated settings table: a bug.
		return nil, fmt.Errorf("actorrent: save state: %w", err)
	}
	return out, nil
}

// LoadState applies a state saved by SaveState or by libtorrent
// (session::load_state). flags select the parts read; none means
// SaveStateAll, several are or-ed (1.0's load_state reads everything;
// libtorrent 1.1 added the flags, defaulting to all). As libtorrent, it
// applies in one ApplySettings, later sources overriding earlier ones:
// 1.0's "proxy" dict (with SaveProxy), 1.0's "encryption" dict, "settings"
// (with SaveSettings or SaveDHTSettings), then the "dht" dict (with
// SaveDHTSettings). Only the settings the state names change; the others
// keep their values (a state lists only the settings that differed from
// its writer's defaults).
//
// It is lenient as libtorrent is, and reports what it skips in the
// result's Ignored instead of failing: settings this engine does not have
// (libtorrent 2.0's names that 1.0's table lacks), values of the wrong
// type or out of a setting's range, and user_agent and peer_fingerprint
// (which libtorrent's load_state leaves alone too: they name the client
// software). The "dht" dict's fields (and "settings"' dht_ fields of
// 2.0) go to SetDHTSettings; "dht state" (with SaveDHTState) gives the
// DHT its node id for its next start and its nodes to contact (at once
// when it runs). Other root keys (plugin state, 2.0's "extensions" and IP
// filter) are not read, as load_state does not read them, and not
// reported.
//
// Bytes that are not a state give ErrInvalidSessionState, and nothing is
// applied. The other errors are ApplySettings's (ErrSessionClosed, the
// context's); nothing is applied then either.
func (s *Session) LoadState(ctx context.Context, data []byte, flags ...SaveStateFlags) (LoadStateResult, error) {
	f := SaveStateAll
	if len(flags) > 0 {
		f = 0
		for _, x := range flags {
			f |= x
		}
	}
	sf := sessionstate.Flags(f & saveStateFlagsKnown)
	st, err := sessionstate.Decode(data, sessionstate.KindsOf(stateDefaults()))
	if err != nil {
		return LoadStateResult{}, fmt.Errorf("%w: %s", ErrInvalidSessionState, strings.TrimPrefix(err.Error(), "sessionstate: "))
	}
	var res LoadStateResult
	for _, ig := range st.Ignored {
		res.Ignored = append(res.Ignored, IgnoredStateEntry(ig))
	}
	if f&(SaveSettings|SaveDHTSettings) != 0 {
		for _, name := range clientSettings {
			if _, ok := st.Settings[name]; ok {
				res.Ignored = append(res.Ignored, ignoredSetting(name, "set by the client software, not loaded from a state (as libtorrent)"))
			}
		}
	}
	var pack SettingsPack
	load := st.SettingsToLoad(sf)
	dhtVals := map[string]sessionstate.Value{}
	for _, name := range sortedNames(load) {
		v := load[name]
		if dhtstate.IsField(name) {
			dhtVals[name] = v
			continue
		}
		if _, known := settings.Lookup(name); !known {
			res.Ignored = append(res.Ignored, ignoredSetting(name, "not a setting of this engine"))
			continue
		}
		if err := pack.SetByName(name, goValue(v)); err != nil {
			res.Ignored = append(res.Ignored, ignoredSetting(name, strings.TrimPrefix(err.Error(), ErrInvalidSetting.Error()+": ")))
			continue
		}
		res.Applied = append(res.Applied, name)
	}
	// "dht state" first, as load_state: a DHT that enable_dht starts
	// now starts with its node id.
	if dht := st.DHTStateToLoad(sf); dht != nil {
		if _, err := s.request(ctx, &messages.LoadDHTState{State: dht}); err != nil {
			return LoadStateResult{}, err
		}
	}
	if err := s.ApplySettings(ctx, pack); err != nil {
		return LoadStateResult{}, err
	}
	if len(dhtVals) > 0 {
		dhtSet, err := s.GetDHTSettings(ctx)
		if err != nil {
			return LoadStateResult{}, err
		}
		applied := dhtSet.Apply(dhtVals)
		for _, name := range sortedNames(dhtVals) {
			if !slices.Contains(applied, name) {
				res.Ignored = append(res.Ignored, ignoredSetting(name, "not of the setting's type"))
			}
		}
		if err := s.SetDHTSettings(ctx, dhtSet); err != nil {
			return LoadStateResult{}, err
		}
		res.AppliedDHT = applied
		sort.Strings(res.AppliedDHT)
	}
	return res, nil
}

func ignoredSetting(name, reason string) IgnoredStateEntry {
	return IgnoredStateEntry{Key: strconv.QuoteToASCII(name), Reason: reason}
}

// stateSettings converts the settings (name -> string, int or bool) to the
// codec's values, over dhtSettingsDefaults: the "dht" dict's fields that
// the table lacks are written at libtorrent's defaults.
func stateSettings(values map[string]any) map[string]sessionstate.Value {
	out := make(map[string]sessionstate.Value, len(values)+len(dhtSettingsDefaults))
	for k, v := range dhtSettingsDefaults {
		out[k] = v
	}
	for k, v := range values {
		out[k] = stateValue(v)
	}
	return out
}

// stateDefaults is the default table as the codec's values, with the DHT
// settings' defaults (so that they are never "non-default"). It is shared:
// never modified.
var stateDefaults = sync.OnceValue(func() map[string]sessionstate.Value {
	return stateSettings(settings.Default().Values())
})

func stateValue(v any) sessionstate.Value {
	switch v := v.(type) {
	case string:
		return sessionstate.StringValue(v)
	case int:
		return sessionstate.IntValue(v)
	case bool:
		return sessionstate.BoolValue(v)
	}
	return sessionstate.Value{} // Encode refuses a value without a kind
}

func goValue(v sessionstate.Value) any {
	switch v.Kind {
	case sessionstate.KindString:
		return v.Str
	case sessionstate.KindInt:
		return v.Int
	case sessionstate.KindBool:
		return v.Bool
	}
	return nil
}

func sortedNames(m map[string]sessionstate.Value) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
