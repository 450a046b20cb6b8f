package actorrent

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
)

// StrSetting, IntSetting and BoolSetting are the typed keys of a
// SettingsPack; their values are libtorrent's setting names. Every name of
// libtorrent's settings_pack exists (settings_names_gen.go); SETTINGS.md
// lists them with their defaults and says which the engine does not act
// on yet, and why.
type (
	StrSetting  string
	IntSetting  string
	BoolSetting string
)

// SettingsPack holds settings by name (libtorrent's settings_pack): the
// ones set, over the defaults. The zero value is empty and reads every
// default. A pack is a value: copying it copies the settings.
type SettingsPack struct {
	values map[string]any
}

// DefaultSettings returns every setting at its default (applying it
// resets a session's settings).
func DefaultSettings() SettingsPack {
	return packOf(settings.Default())
}

func packOf(s *settings.Snapshot) SettingsPack {
	return SettingsPack{values: s.Values()}
}

func (p *SettingsPack) set(name string, v any) {
	m := make(map[string]any, len(p.values)+1)
	for k, x := range p.values { // copy on write: copies of p stay as they were
		m[k] = x
	}
	m[name] = v
	p.values = m
}

// SetStr sets a string setting. Values are checked when the pack is used
// (NewSession, ApplySettings); SetByName checks at once.
func (p *SettingsPack) SetStr(k StrSetting, v string) { p.set(string(k), v) }

// SetInt sets an integer setting.
func (p *SettingsPack) SetInt(k IntSetting, v int) { p.set(string(k), v) }

// SetBool sets a boolean setting.
func (p *SettingsPack) SetBool(k BoolSetting, v bool) { p.set(string(k), v) }

// Str returns a string setting, or its default when unset.
func (p SettingsPack) Str(k StrSetting) string {
	v, _ := p.Get(string(k))
	s, _ := v.(string)
	return s
}

// Int returns an integer setting, or its default when unset.
func (p SettingsPack) Int(k IntSetting) int {
	v, _ := p.Get(string(k))
	i, _ := v.(int)
	return i
}

// Bool returns a boolean setting, or its default when unset.
func (p SettingsPack) Bool(k BoolSetting) bool {
	v, _ := p.Get(string(k))
	b, _ := v.(bool)
	return b
}

// Get returns the setting called name (a string, int or bool): its value
// in the pack, or its default; false for an unknown name.
func (p SettingsPack) Get(name string) (any, bool) {
	if v, ok := p.values[name]; ok {
		return v, true
	}
	return settings.Default().Get(name)
}

// Has reports whether the pack sets name.
func (p SettingsPack) Has(name string) bool {
	_, ok := p.values[name]
	return ok
}

// Names lists the settings the pack sets, sorted.
func (p SettingsPack) Names() []string {
	out := make([]string, 0, len(p.values))
	for k := range p.values {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// SetByName sets a setting by its libtorrent name; the value must have the
// setting's type (string, int or bool) and be in its range. Unknown names,
// wrong types and values out of range give ErrInvalidSetting.
func (p *SettingsPack) SetByName(name string, v any) error {
	if err := settings.Validate(name, v); err != nil {
		return settingError(err)
	}
	p.set(name, v)
	return nil
}

// SetFromString sets a setting from text, converted to the setting's type
// (bools take true/false/1/0): what a command line's -set NAME=VALUE
// gives.
func (p *SettingsPack) SetFromString(name, text string) error {
	v, err := settings.Parse(name, text)
	if err != nil {
		return settingError(err)
	}
	p.set(name, v)
	return nil
}

// snapshot validates the pack over base.
func (p SettingsPack) snapshot(base *settings.Snapshot) (*settings.Snapshot, error) {
	s, err := base.With(p.values)
	if err != nil {
		return nil, settingError(err)
	}
	return s, nil
}

// SettingNames lists every setting the engine knows, sorted.
func SettingNames() []string {
	var out []string
	for _, d := range settings.All() {
		out = append(out, d.Name)
	}
	sort.Strings(out)
	return out
}

// ApplySettings changes the settings named in p while the session runs;
// the others keep their values. Every setting the engine acts on takes
// effect without a restart (listen_interfaces re-opens the listen
// sockets). Nothing is applied when a value is invalid
// (ErrInvalidSetting).
func (s *Session) ApplySettings(ctx context.Context, p SettingsPack) error {
	if _, err := p.snapshot(settings.Default()); err != nil {
		return err
	}
	r, err := s.request(ctx, &messages.ApplySettings{Values: p.values})
	if err != nil {
		return err
	}
	if e := r.(*messages.ApplySettingsReply).Err; e != nil {
		return settingError(e)
	}
	return nil
}

// GetSettings returns every setting's current value.
func (s *Session) GetSettings(ctx context.Context) (SettingsPack, error) {
	r, err := s.request(ctx, &messages.GetSettings{})
	if err != nil {
		return SettingsPack{}, err
	}
	return packOf(r.(*messages.GetSettingsReply).Settings), nil
}

// settingError is err from the settings table as ErrInvalidSetting, with
// its detail ("connections_limit takes an int, not \"abc\"").
func settingError(err error) error {
	return fmt.Errorf("%w%s", ErrInvalidSetting, strings.TrimPrefix(err.Error(), settings.ErrInvalid.Error()))
}
