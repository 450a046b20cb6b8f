package resume

import (
	"reflect"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/metainfo"
)

// FuzzDecode: Decode never panics, its errors wrap a sentinel, and what it
// accepts re-encodes to a file that decodes to an equal value. When the file
// carries a parsable info dict, Validate must not panic either and must keep
// Have and Verify disjoint. The committed corpus (testdata/fuzz/FuzzDecode)
// holds files written by libtorrent 2.0.8, a 1.0-style file and hostile ones.
func FuzzDecode(f *testing.F) {
	f.Add(resumeFile(f, nil))
	f.Add(resumeFile(f, map[string]any{"pieces": "\x01\x03", "unfinished": []any{map[string]any{"piece": 1, "bitmask": "\x80"}}}))
	f.Add(resumeFile(f, map[string]any{"peers6": strings.Repeat("\x00", 18), "banned_peers": []any{map[string]any{"ip": "1.2.3.4", "port": 1}}}))
	f.Add([]byte("d4:infod6:lengthi1e4:name1:x12:piece lengthi16384e6:pieces20:01234567890123456789ee"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Decode(b)
		if err != nil {
			if d != nil || !wrapsSentinel(err) {
				t.Fatalf("Decode = %v, %v", d, err)
			}
			return
		}
		enc, err := d.Encode()
		if err != nil {
			t.Fatalf("Encode of a decoded value: %v", err)
		}
		d2, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Encode(d)): %v", err)
		}
		if !reflect.DeepEqual(d, d2) {
			t.Fatalf("round trip differs:\n%+v\n%+v", d, d2)
		}
		if d.Info == nil {
			return
		}
		info, err := metainfo.ParseInfo(d.Info)
		if err != nil || info.NumPieces() > 1<<16 {
			return
		}
		disk := present(info)
		for k := range disk {
			if k%3 == 1 {
				disk[k].Size /= 2
			}
		}
		v, err := Validate(d, d.InfoHash, info, disk)
		if err != nil {
			if !wrapsSentinel(err) {
				t.Fatalf("Validate: %v", err)
			}
			return
		}
		for p := range v.Have {
			if v.Have[p] && v.Verify[p] {
				t.Fatalf("piece %d both trusted and to verify", p)
			}
		}
	})
}
