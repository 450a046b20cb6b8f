package sessionstate

import (
	"maps"
	"testing"
)

// TestSettingsToLoad follows session::load_state's order and flags: legacy
// "proxy" (with SaveProxy), "encryption" (always), "settings" (with
// SaveSettings or SaveDHTSettings, minus user_agent and peer_fingerprint),
// "dht" (with SaveDHTSettings) last.
func TestSettingsToLoad(t *testing.T) {
	in := "d" +
		"3:dhtd9:max_peersi22e9:read_onlyi1ee" +
		"10:encryptiond17:allowed_enc_leveli3e13:in_enc_policyi2e10:prefer_rc4i0e5:bogusi1ee" +
		"5:proxyd8:hostname4:host4:porti1234e15:proxy_hostnamesi0e4:type3:bade" +
		"8:settingsd13:dht_max_peersi11e13:in_enc_policyi1e10:prefer_rc4i1e10:proxy_porti99e" +
		"16:peer_fingerprint8:-XX0000-10:user_agent2:zze" +
		"e"
	kinds := KindsOf(map[string]Value{
		"dht_max_peers": IntValue(0), "in_enc_policy": IntValue(0), "prefer_rc4": BoolValue(false),
		"proxy_port": IntValue(0), "peer_fingerprint": StringValue(""), "user_agent": StringValue(""),
	})
	st, err := Decode([]byte(in), kinds)
	if err != nil {
		t.Fatal(err)
	}
	encryption := map[string]Value{"allowed_enc_level": IntValue(3), "in_enc_policy": IntValue(2), "prefer_rc4": BoolValue(false)}
	proxy := map[string]Value{"proxy_hostname": StringValue("host"), "proxy_port": IntValue(1234), "proxy_hostnames": BoolValue(false)}
	settings := map[string]Value{"dht_max_peers": IntValue(11), "in_enc_policy": IntValue(1), "prefer_rc4": BoolValue(true), "proxy_port": IntValue(99)}
	dht := map[string]Value{"dht_max_peers": IntValue(22), "dht_read_only": BoolValue(true)}
	merged := func(ms ...map[string]Value) map[string]Value {
		out := map[string]Value{}
		for _, m := range ms {
			maps.Copy(out, m)
		}
		return out
	}
	tests := []struct {
		name  string
		flags Flags
		want  map[string]Value
	}{
		{"all", SaveAll, merged(proxy, encryption, settings, dht)},
		{"none: the encryption dict still loads", 0, encryption},
		{"settings", SaveSettings, merged(encryption, settings)},
		{"dht settings also load settings", SaveDHTSettings, merged(encryption, settings, dht)},
		{"proxy", SaveProxy, merged(proxy, encryption)},
		{"dht state loads no setting", SaveDHTState, encryption},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := st.SettingsToLoad(tc.flags); !maps.Equal(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
	if got := (State{}).SettingsToLoad(SaveAll); got != nil {
		t.Errorf("empty state loads %v", got)
	}
}

func TestDHTStateToLoad(t *testing.T) {
	st := State{DHT: &DHTState{}}
	if st.DHTStateToLoad(SaveAll) != st.DHT || st.DHTStateToLoad(SaveSettings) != nil {
		t.Error("DHTStateToLoad does not follow SaveDHTState")
	}
}

func TestNonDefault(t *testing.T) {
	defaults := map[string]Value{"a": IntValue(1), "b": StringValue(""), "c": BoolValue(true)}
	current := map[string]Value{"a": IntValue(1), "b": StringValue("x"), "c": BoolValue(false), "new": IntValue(0)}
	want := map[string]Value{"b": StringValue("x"), "c": BoolValue(false), "new": IntValue(0)}
	if got := NonDefault(current, defaults); !maps.Equal(got, want) {
		t.Errorf("got %v", got)
	}
	if got := NonDefault(defaults, defaults); len(got) != 0 || got == nil {
		t.Errorf("defaults differ from themselves: %v", got)
	}
}

func TestLegacyDHTSettings(t *testing.T) {
	current := map[string]Value{
		"dht_max_peers":       IntValue(5),
		"dht_read_only":       IntValue(1), // wrong kind: left out
		"dht_upload_rate":     IntValue(8), // not in the dict
		"upload_rate_limit":   IntValue(1),
		"dht_privacy_lookups": BoolValue(true),
	}
	want := map[string]Value{"dht_max_peers": IntValue(5), "dht_privacy_lookups": BoolValue(true)}
	if got := LegacyDHTSettings(current); !maps.Equal(got, want) {
		t.Errorf("got %v", got)
	}
}
