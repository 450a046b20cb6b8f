package main

import (
	"fmt"
	"strings"

	"github.com/actorrent/actorrent"
)

// sessionSettings are the settings a subcommand's flags ask for: any
// libtorrent setting by name with -set NAME=VALUE (repeatable), checked as
// the flag is parsed, so an unknown name or a bad value is a usage error
// naming it.
type sessionSettings struct {
	pack     actorrent.SettingsPack
	ipFilter *actorrent.IPFilter // -ip-filter (ipfilter.go)
}

// addSettingsFlags registers -set on fs.
func addSettingsFlags(fs *flagSet) *sessionSettings {
	ss := &sessionSettings{}
	fs.Func("set", "`NAME=VALUE`: any libtorrent setting by name (repeatable), e.g. -set connections_limit=50; see SETTINGS.md",
		func(v string) error {
			name, value, ok := strings.Cut(v, "=")
			if !ok || name == "" {
				return fmt.Errorf("want NAME=VALUE, not %q", v)
			}
			return ss.pack.SetFromString(strings.TrimSpace(name), value)
		})
	return ss
}

// applyTo sets what the flags asked for in p (over the demo's own choices).
func (ss *sessionSettings) applyTo(p *actorrent.SettingsPack) {
	if ss == nil {
		return
	}
	for _, name := range ss.pack.Names() {
		v, _ := ss.pack.Get(name)
		_ = p.SetByName(name, v) // checked when the flag was parsed
	}
}
