package sessionstate

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// readTable reads a settings table that lt_state.py wrote from libtorrent
// (name -> value, JSON bools, numbers and strings) as Values.
func readTable(t testing.TB, name string) map[string]Value {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return tableFromJSON(t, b)
}

func tableFromJSON(t testing.TB, b []byte) map[string]Value {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("settings table: %v", err)
	}
	out := make(map[string]Value, len(m))
	for k, v := range m {
		switch v := v.(type) {
		case bool:
			out[k] = BoolValue(v)
		case string:
			out[k] = StringValue(v)
		case json.Number:
			n, err := v.Int64()
			if err != nil {
				t.Fatalf("setting %s: %v", k, err)
			}
			out[k] = IntValue(int(n))
		default:
			t.Fatalf("setting %s: unexpected %T", k, v)
		}
	}
	return out
}

// ltDefaults is libtorrent 2.0.8's settings table; ltKinds types by it.
func ltDefaults(t testing.TB) map[string]Value { return readTable(t, "lt208_defaults.json") }

func ltKinds(t testing.TB) Kinds { return KindsOf(ltDefaults(t)) }

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bencoded marshals v for test input; it must not fail.
func bencoded(t testing.TB, v any) []byte {
	t.Helper()
	b, err := bencodex.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wrapsSentinel reports whether err wraps exactly one of our sentinels.
func wrapsSentinel(err error) bool {
	n := 0
	for _, s := range []error{ErrMalformed, ErrTooLarge, ErrInvalidState} {
		if errors.Is(err, s) {
			n++
		}
	}
	return n == 1
}
