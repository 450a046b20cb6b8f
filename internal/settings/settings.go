// Package settings is the one table of session settings: every name of
// libtorrent's settings_pack with its type, default and range
// (table.tsv, turned into defs_gen.go by ./gen), and the immutable
// Snapshot the session actor hands to every other actor by pointer when
// settings change. There is no other default table: the facade's
// SettingsPack, the actors' configuration and the docs all come from here.
package settings

//go:generate go run ./gen -root ../..

import (
	"errors"
	"fmt"
	"runtime"
)

// ErrInvalid is returned for an unknown name, a value of the wrong type or
// one out of the setting's range.
var ErrInvalid = errors.New("invalid setting")

// Kind is a setting's type.
type Kind uint8

// The three types of libtorrent's settings.
const (
	KindStr Kind = iota
	KindInt
	KindBool
)

func (k Kind) String() string {
	switch k {
	case KindStr:
		return "string"
	case KindInt:
		return "int"
	}
	return "bool"
}

// StrKey, IntKey and BoolKey index a Snapshot's settings of each type.
type (
	StrKey  int
	IntKey  int
	BoolKey int
)

// Def describes one setting.
type Def struct {
	Name  string
	Kind  Kind
	Index int // the key: StrKey, IntKey or BoolKey by Kind
	// Defaults and, for ints, the accepted range.
	DefaultStr  string
	DefaultInt  int
	DefaultBool bool
	Min, Max    int
	Deprecated  bool
	// Unused says why the engine does not act on the setting yet; empty
	// when it does.
	Unused string
	Doc    string
	// Ours says why our default differs from libtorrent's, when it does.
	Ours string
}

var byName = func() map[string]*Def {
	m := make(map[string]*Def, len(defs))
	for i := range defs {
		m[defs[i].Name] = &defs[i]
	}
	return m
}()

var strDefs, intDefs, boolDefs = func() (s [numStr]*Def, i [numInt]*Def, b [numBool]*Def) {
	for k := range defs {
		d := &defs[k]
		switch d.Kind {
		case KindStr:
			s[d.Index] = d
		case KindInt:
			i[d.Index] = d
		case KindBool:
			b[d.Index] = d
		}
	}
	return
}()

// Lookup returns the setting called name.
func Lookup(name string) (Def, bool) {
	d, ok := byName[name]
	if !ok {
		return Def{}, false
	}
	return *d, true
}

// All returns every setting, in libtorrent's order (strings, ints, bools).
func All() []Def { return append([]Def(nil), defs[:]...) }

// Name returns the libtorrent name of a key.
func (k StrKey) Name() string  { return strDefs[k].Name }
func (k IntKey) Name() string  { return intDefs[k].Name }
func (k BoolKey) Name() string { return boolDefs[k].Name }

// Validate checks v for the setting called name: the right Go type
// (string, int, bool) and, for ints, the range.
func Validate(name string, v any) error {
	d, ok := byName[name]
	if !ok {
		return fmt.Errorf("%w: unknown setting %q", ErrInvalid, name)
	}
	switch d.Kind {
	case KindStr:
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%w: %s takes a string, not %T", ErrInvalid, name, v)
		}
	case KindInt:
		i, ok := v.(int)
		if !ok {
			return fmt.Errorf("%w: %s takes an int, not %T", ErrInvalid, name, v)
		}
		if i < d.Min || i > d.Max {
			return fmt.Errorf("%w: %s = %d is out of range [%d, %d]", ErrInvalid, name, i, d.Min, d.Max)
		}
	case KindBool:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%w: %s takes a bool, not %T", ErrInvalid, name, v)
		}
	}
	return nil
}

// Workers resolves hashing_threads: 0 means one per CPU core.
func (s *Snapshot) Workers() int {
	if n := s.Int(HashingThreads); n > 0 {
		return n
	}
	return runtime.NumCPU()
}

// CacheBytes resolves cache_size to bytes: -1 (auto) is the default.
func (s *Snapshot) CacheBytes() int64 {
	n := s.Int(CacheSize)
	if n < 0 {
		n = intDefs[CacheSize].DefaultInt
	}
	return int64(n) * 16 << 10
}
