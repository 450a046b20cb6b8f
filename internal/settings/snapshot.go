package settings

import (
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Snapshot is one complete, immutable set of settings. Actors hold a
// *Snapshot and read it without locks; a change makes a new Snapshot
// (With) that is sent to them, never an edit of the old one.
type Snapshot struct {
	strs  [numStr]string
	ints  [numInt]int
	bools [numBool]bool
}

var defaults = func() *Snapshot {
	s := &Snapshot{}
	for _, d := range defs {
		switch d.Kind {
		case KindStr:
			s.strs[d.Index] = d.DefaultStr
		case KindInt:
			s.ints[d.Index] = d.DefaultInt
		case KindBool:
			s.bools[d.Index] = d.DefaultBool
		}
	}
	return s
}()

// Default returns the snapshot of every default. It is shared: never
// modified.
func Default() *Snapshot { return defaults }

// Str, Int and Bool read one setting.
func (s *Snapshot) Str(k StrKey) string { return s.strs[k] }
func (s *Snapshot) Int(k IntKey) int    { return s.ints[k] }
func (s *Snapshot) Bool(k BoolKey) bool { return s.bools[k] }

// Seconds reads an int setting counted in seconds.
func (s *Snapshot) Seconds(k IntKey) time.Duration {
	return time.Duration(s.ints[k]) * time.Second
}

// Get returns the value of the setting called name (string, int or bool).
func (s *Snapshot) Get(name string) (any, bool) {
	d, ok := byName[name]
	if !ok {
		return nil, false
	}
	switch d.Kind {
	case KindStr:
		return s.strs[d.Index], true
	case KindInt:
		return s.ints[d.Index], true
	}
	return s.bools[d.Index], true
}

// With returns a new snapshot: s with values (name → string, int or
// bool) applied. Nothing is applied unless every value is valid.
func (s *Snapshot) With(values map[string]any) (*Snapshot, error) {
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	sort.Strings(names) // the first error is the same every time
	for _, n := range names {
		if err := Validate(n, values[n]); err != nil {
			return nil, err
		}
	}
	out := *s
	for n, v := range values {
		d := byName[n]
		switch d.Kind {
		case KindStr:
			out.strs[d.Index] = v.(string)
		case KindInt:
			out.ints[d.Index] = v.(int)
		case KindBool:
			out.bools[d.Index] = v.(bool)
		}
	}
	return &out, nil
}

// Changed lists the names whose values differ between s and t, in table
// order.
func (s *Snapshot) Changed(t *Snapshot) []string {
	var out []string
	for _, d := range defs {
		v, _ := s.Get(d.Name)
		w, _ := t.Get(d.Name)
		if v != w {
			out = append(out, d.Name)
		}
	}
	return out
}

// Values returns every setting by name.
func (s *Snapshot) Values() map[string]any {
	out := make(map[string]any, len(defs))
	for _, d := range defs {
		out[d.Name], _ = s.Get(d.Name)
	}
	return out
}

// Parse converts text to the type of the setting called name (for
// command lines: "-set upload_rate_limit=100000"); bools take
// true/false/1/0. The value is validated.
func Parse(name, text string) (any, error) {
	d, ok := byName[name]
	if !ok {
		return nil, fmt.Errorf("%w: unknown setting %q", ErrInvalid, name)
	}
	var v any
	switch d.Kind {
	case KindStr:
		v = text
	case KindInt:
		i, err := strconv.Atoi(text)
		if err != nil {
			return nil, fmt.Errorf("%w: %s takes an int, not %q", ErrInvalid, name, text)
		}
		v = i
	case KindBool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return nil, fmt.Errorf("%w: %s takes true or false, not %q", ErrInvalid, name, text)
		}
		v = b
	}
	if err := Validate(name, v); err != nil {
		return nil, err
	}
	return v, nil
}
