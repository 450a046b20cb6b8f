package sessionstate

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzDecode: Decode never panics, fails only with one of our sentinels and
// a zero State, does not alias its input, and what it accepts encodes (with
// every flag, SaveSettings only if "settings" was there) to a state that
// decodes to the same State, but for the report of what was ignored. The committed corpus (testdata/fuzz/FuzzDecode) holds
// states libtorrent 2.0.8 saved, 1.0-style ones and hostile ones.
func FuzzDecode(f *testing.F) {
	for _, fx := range fixtures {
		f.Add(readFixture(f, fx.file))
	}
	f.Add([]byte("d8:settingsd1:bi7e1:ii-5e1:s3:abc1:zl1:xee5:proxyd4:porti1eee"))
	f.Add([]byte("d9:dht stated7:node-id20:NNNNNNNNNNNNNNNNNNNN5:nodesl6:\x7f\x00\x00\x01\x1a\xe1i1eeee"))
	kinds := testKinds
	f.Fuzz(func(t *testing.T, in []byte) {
		keep := bytes.Clone(in)
		st, err := Decode(in, kinds)
		if err != nil {
			if !wrapsSentinel(err) || !reflect.DeepEqual(st, State{}) {
				t.Fatalf("Decode = %+v, %v", st, err)
			}
			return
		}
		for i := range in {
			in[i] = 'X'
		}
		again, err := Decode(keep, kinds)
		if err != nil || !reflect.DeepEqual(st, again) {
			t.Fatalf("Decode aliases its input or is not deterministic: %v", err)
		}
		flags := SaveAll
		if st.Settings == nil {
			flags &^= SaveSettings // it would write an empty "settings"
		}
		enc, err := Encode(st, flags)
		if err != nil {
			t.Fatalf("Encode of a decoded state: %v", err)
		}
		back, err := Decode(enc, kinds)
		if err != nil {
			t.Fatalf("Decode(Encode(st)): %v\n%q", err, enc)
		}
		st.Ignored, back.Ignored = nil, nil
		if !reflect.DeepEqual(st, back) {
			t.Fatalf("round trip differs:\n%+v\n%+v\n%q", st, back, enc)
		}
	})
}
