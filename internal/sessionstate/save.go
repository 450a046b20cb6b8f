package sessionstate

// ForSave builds the State libtorrent's save_state writes for a session:
// current holds every setting's current value and defaults the default table
// (both name -> value), dht is the running DHT's state (nil when it does not
// run). Encode then picks the parts its flags select.
func ForSave(current, defaults map[string]Value, dht *DHTState) State {
	return State{
		Settings:    NonDefault(current, defaults),
		DHTSettings: LegacyDHTSettings(current),
		DHT:         dht,
	}
}

// NonDefault returns the settings of current whose value differs from the
// one in defaults (or that defaults lacks): what save_state writes under
// "settings" (libtorrent's non_default_settings).
func NonDefault(current, defaults map[string]Value) map[string]Value {
	out := map[string]Value{}
	for name, v := range current {
		if d, ok := defaults[name]; ok && d == v {
			continue
		}
		out[name] = v
	}
	return out
}

// LegacyDHTSettings returns the settings of the "dht" dict from current:
// the 18 dht_* settings of 1.x's dht_settings, which 2.0.8 writes in full,
// defaults included. Those current lacks, or holds with another kind, are
// left out.
func LegacyDHTSettings(current map[string]Value) map[string]Value {
	out := map[string]Value{}
	for _, f := range legacyDHT {
		if v, ok := current[f.setting]; ok && v.Kind == f.kind {
			out[f.setting] = v
		}
	}
	return out
}
