package sessionstate

// SettingsToLoad returns the settings libtorrent 2.0.8's
// session::load_state(state, flags) applies, merged in its order (later
// sources override earlier ones):
//
//  1. 1.0's "proxy" dict from State.Other, with SaveProxy;
//  2. 1.0's "encryption" dict from State.Other, whatever the flags;
//  3. Settings, with SaveSettings or SaveDHTSettings, except user_agent and
//     peer_fingerprint: the client software sets those, users do not;
//  4. DHTSettings, with SaveDHTSettings.
//
// UnknownSettings are not among them. The result is nil when nothing is to
// be applied.
func (s State) SettingsToLoad(flags Flags) map[string]Value {
	out := map[string]Value{}
	merge := func(m map[string]Value) {
		for k, v := range m {
			out[k] = v
		}
	}
	noReport := func(string, string) {}
	if raw, ok := s.Other["proxy"]; ok && flags&SaveProxy != 0 && len(raw) > 0 && raw[0] == 'd' {
		merge(readLegacy(raw, legacyProxy, noReport))
	}
	if raw, ok := s.Other["encryption"]; ok && len(raw) > 0 && raw[0] == 'd' {
		merge(readLegacy(raw, legacyEncryption, noReport))
	}
	if flags&(SaveSettings|SaveDHTSettings) != 0 {
		for k, v := range s.Settings {
			if k == "user_agent" || k == "peer_fingerprint" {
				continue
			}
			out[k] = v
		}
	}
	if flags&SaveDHTSettings != 0 {
		merge(s.DHTSettings)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// DHTStateToLoad returns the DHT state load_state starts the DHT with: the
// state's, with SaveDHTState, else nil (the DHT keeps the one it has).
func (s State) DHTStateToLoad(flags Flags) *DHTState {
	if flags&SaveDHTState == 0 {
		return nil
	}
	return s.DHT
}
