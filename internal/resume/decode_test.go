package resume

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/bencodex"
)

func TestDecodeDefaults(t *testing.T) {
	d, err := Decode(resumeFile(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := &Data{
		InfoHash:    testHash,
		NumComplete: -1, NumIncomplete: -1, NumDownloaded: -1,
		UploadRateLimit: -1, DownloadRateLimit: -1, MaxConnections: -1, MaxUploads: -1,
		Paused: true, AutoManaged: true, ApplyIPFilter: true, // 2.0.8's default_flags
		Allocation: AllocationSparse,
	}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("Decode(minimal) =\n%+v\nwant\n%+v", d, want)
	}
}

func TestDecodeValues(t *testing.T) {
	info := []byte("d4:name1:xe")
	tests := []struct {
		name  string
		over  map[string]any
		check func(d *Data) bool
	}{
		{"unknown scrape count", map[string]any{"num_complete": 0xffffff, "num_incomplete": 3}, func(d *Data) bool {
			return d.NumComplete == -1 && d.NumIncomplete == 3
		}},
		{"flags are any non-zero int", map[string]any{"seed_mode": 5, "paused": 0}, func(d *Data) bool { return d.SeedMode && !d.Paused }},
		{"allocation full is allocate", map[string]any{"allocation": "full"}, func(d *Data) bool { return d.Allocation == AllocationAllocate }},
		{"allocation other is sparse", map[string]any{"allocation": "weird"}, func(d *Data) bool { return d.Allocation == AllocationSparse }},
		{"1.0 relative last times zeroed", map[string]any{"libtorrent-version": "1.0.11.0", "last_download": 30, "last_upload": 40, "added_time": 9}, func(d *Data) bool {
			return d.LastDownload == 0 && d.LastUpload == 0 && d.AddedTime == 9
		}},
		{"2.0 last times kept", map[string]any{"libtorrent-version": "2.0.8.0", "last_download": 30}, func(d *Data) bool { return d.LastDownload == 30 }},
		{"info kept when its hash matches", map[string]any{"info": bencodex.Raw(info), "info-hash": sha1Of(info)}, func(d *Data) bool {
			return bytes.Equal(d.Info, info)
		}},
		{"info dropped when its hash does not", map[string]any{"info": bencodex.Raw(info)}, func(d *Data) bool { return d.Info == nil }},
		{"info dropped when info-hash2 does not match", map[string]any{"info": bencodex.Raw(info), "info-hash": sha1Of(info), "info-hash2": strings.Repeat("x", 32)}, func(d *Data) bool {
			return d.Info == nil && d.InfoHash2[0] == 'x'
		}},
		{"empty pieces is no pieces", map[string]any{"pieces": ""}, func(d *Data) bool { return d.Pieces == nil }},
		{"empty trackers kept as present", map[string]any{"trackers": []any{}}, func(d *Data) bool { return d.Trackers != nil && len(d.Trackers) == 0 }},
		{"tracker gaps kept", map[string]any{"trackers": []any{[]any{"a"}, []any{}, []any{"b", "c"}}}, func(d *Data) bool {
			return reflect.DeepEqual(d.Trackers, [][]string{{"a"}, nil, {"b", "c"}})
		}},
		{"empty file sizes kept as present", map[string]any{"file sizes": []any{}}, func(d *Data) bool { return d.FileSizes != nil && len(d.FileSizes) == 0 }},
		{"file sizes", map[string]any{"file sizes": []any{[]any{10, 20}, []any{0, 0}}}, func(d *Data) bool {
			return reflect.DeepEqual(d.FileSizes, []FileSize{{Size: 10, MTime: 20}, {Size: 0, MTime: 0}})
		}},
		{"bitmask is MSB first", map[string]any{"unfinished": []any{map[string]any{"piece": 3, "bitmask": "\x81"}}}, func(d *Data) bool {
			return reflect.DeepEqual(d.Unfinished, []UnfinishedPiece{{3, []bool{true, false, false, false, false, false, false, true}}})
		}},
		{"compact peers, v4 then v6", map[string]any{"peers": "\x01\x02\x03\x04\x00\x50", "peers6": strings.Repeat("\x00", 15) + "\x01\x01\xbb"}, func(d *Data) bool {
			return reflect.DeepEqual(d.Peers, []netip.AddrPort{netip.MustParseAddrPort("1.2.3.4:80"), netip.MustParseAddrPort("[::1]:443")})
		}},
		{"1.0 peer dicts", map[string]any{"peers": []any{
			map[string]any{"ip": "::1", "port": 2}, map[string]any{"ip": "10.0.0.1", "port": 1},
		}, "banned_peers": []any{map[string]any{"ip": "10.0.0.2", "port": 3}}}, func(d *Data) bool {
			return reflect.DeepEqual(d.Peers, []netip.AddrPort{netip.MustParseAddrPort("10.0.0.1:1"), netip.MustParseAddrPort("[::1]:2")}) &&
				reflect.DeepEqual(d.BannedPeers, []netip.AddrPort{netip.MustParseAddrPort("10.0.0.2:3")})
		}},
		{"every banned IPv4 peer read (2.0.8 skips the first)", map[string]any{"banned_peers": "\x01\x01\x01\x01\x00\x01\x02\x02\x02\x02\x00\x02"}, func(d *Data) bool {
			return len(d.BannedPeers) == 2
		}},
		{"unknown and 1.0-only keys ignored", map[string]any{"slots": []any{-2}, "blocks per piece": "x", "trees": 1, "announce_to_dht": "no"}, func(d *Data) bool { return true }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decode(resumeFile(t, tc.over))
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(d) {
				t.Fatalf("unexpected %+v", d)
			}
		})
	}
}

func TestDecodeFirstKeyWinsAndTrailingBytes(t *testing.T) {
	// Unsorted, duplicated keys and trailing bytes, as libtorrent accepts.
	in := "d9:info-hash20:aaaaaaaaaaaaaaaaaaaa4:name1:a11:file-format22:libtorrent resume file4:name1:beJUNK"
	d, err := Decode([]byte(in))
	if err != nil || d.Name != "a" {
		t.Fatalf("Decode = %+v, %v", d, err)
	}
}

func TestDecodeErrors(t *testing.T) {
	um := func(fields map[string]any) map[string]any { return map[string]any{"unfinished": []any{fields}} }
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"not bencode", []byte("d4:name"), bencodex.ErrSyntax},
		{"not bencode is malformed", []byte("x"), ErrMalformed},
		{"not a dict", []byte("li1ee"), ErrMalformed},
		{"too deep", append(bytes.Repeat([]byte("l"), 200), bytes.Repeat([]byte("e"), 200)...), bencodex.ErrTooDeep},
		{"integer overflow", resumeFileRaw("14:total_uploadedi99999999999999999999e"), bencodex.ErrIntOverflow},
		{"no file-format", resumeFile(t, map[string]any{"file-format": del{}}), ErrInvalidFileTag},
		{"wrong file-format", resumeFile(t, map[string]any{"file-format": "libtorrent resume file2"}), ErrInvalidFileTag},
		{"file-format not a string", resumeFile(t, map[string]any{"file-format": 1}), ErrInvalidFileTag},
		{"no info-hash", resumeFile(t, map[string]any{"info-hash": del{}}), ErrMissingInfoHash},
		{"short info-hash", resumeFile(t, map[string]any{"info-hash": "abc"}), ErrMissingInfoHash},
		{"info-hash not a string", resumeFile(t, map[string]any{"info-hash": 5}), ErrMissingInfoHash},
		{"v2-only", resumeFile(t, map[string]any{"info-hash": del{}, "info-hash2": strings.Repeat("x", 32)}), ErrMissingInfoHash},
		{"info-hash2 length", resumeFile(t, map[string]any{"info-hash2": "x"}), ErrMalformed},
		{"compact allocation", resumeFile(t, map[string]any{"allocation": "compact"}), ErrPiecesNeedReorder},
		{"allocation type", resumeFile(t, map[string]any{"allocation": 1}), ErrMalformed},
		{"name type", resumeFile(t, map[string]any{"name": 1}), ErrMalformed},
		{"save_path type", resumeFile(t, map[string]any{"save_path": []any{}}), ErrMalformed},
		{"counter type", resumeFile(t, map[string]any{"total_uploaded": "1"}), ErrMalformed},
		{"negative counter", resumeFile(t, map[string]any{"total_downloaded": -1}), ErrMalformed},
		{"negative time", resumeFile(t, map[string]any{"added_time": -5}), ErrMalformed},
		{"negative creation date", resumeFile(t, map[string]any{"creation date": -5}), ErrMalformed},
		{"scrape count below -1", resumeFile(t, map[string]any{"num_complete": -2}), ErrMalformed},
		{"scrape count over 24 bits", resumeFile(t, map[string]any{"num_downloaded": 0x1000000}), ErrMalformed},
		{"limit over 32 bits", resumeFile(t, map[string]any{"max_connections": int64(1) << 40}), ErrMalformed},
		{"flag type", resumeFile(t, map[string]any{"paused": "yes"}), ErrMalformed},
		{"info not a dict", resumeFile(t, map[string]any{"info": "d4:name1:xe"}), ErrMalformed},
		{"pieces type", resumeFile(t, map[string]any{"pieces": []any{1}}), ErrMalformed},
		{"piece priority over 7", resumeFile(t, map[string]any{"piece_priority": "\x01\x08"}), ErrMalformed},
		{"file priority over 7", resumeFile(t, map[string]any{"file_priority": []any{8}}), ErrMalformed},
		{"file priority negative", resumeFile(t, map[string]any{"file_priority": []any{-1}}), ErrMalformed},
		{"file priority type", resumeFile(t, map[string]any{"file_priority": []any{"1"}}), ErrMalformed},
		{"mapped_files entry", resumeFile(t, map[string]any{"mapped_files": []any{"", 1}}), ErrMalformed},
		{"mapped_files type", resumeFile(t, map[string]any{"mapped_files": "x"}), ErrMalformed},
		{"trackers type", resumeFile(t, map[string]any{"trackers": "http://t/"}), ErrMalformed},
		{"tracker tier type", resumeFile(t, map[string]any{"trackers": []any{"http://t/"}}), ErrMalformed},
		{"tracker url type", resumeFile(t, map[string]any{"trackers": []any{[]any{1}}}), ErrMalformed},
		{"url-list type", resumeFile(t, map[string]any{"url-list": map[string]any{}}), ErrMalformed},
		{"httpseeds entry", resumeFile(t, map[string]any{"httpseeds": []any{[]any{}}}), ErrMalformed},
		{"file sizes type", resumeFile(t, map[string]any{"file sizes": "x"}), ErrMalformed},
		{"file sizes short entry", resumeFile(t, map[string]any{"file sizes": []any{[]any{1}}}), ErrMalformed},
		{"file sizes long entry", resumeFile(t, map[string]any{"file sizes": []any{[]any{1, 2, 3, 4}}}), ErrMalformed},
		{"file sizes negative", resumeFile(t, map[string]any{"file sizes": []any{[]any{-1, 2}}}), ErrMalformed},
		{"file sizes entry type", resumeFile(t, map[string]any{"file sizes": []any{"ab"}}), ErrMalformed},
		{"unfinished type", resumeFile(t, map[string]any{"unfinished": map[string]any{}}), ErrMalformed},
		{"unfinished entry type", resumeFile(t, map[string]any{"unfinished": []any{1}}), ErrMalformed},
		{"unfinished without bitmask", resumeFile(t, um(map[string]any{"piece": 1})), ErrMalformed},
		{"unfinished without piece", resumeFile(t, um(map[string]any{"bitmask": "\x01"})), ErrMalformed},
		{"unfinished empty bitmask", resumeFile(t, um(map[string]any{"piece": 1, "bitmask": ""})), ErrMalformed},
		{"unfinished negative piece", resumeFile(t, um(map[string]any{"piece": -1, "bitmask": "\x01"})), ErrMalformed},
		{"unfinished piece over 32 bits", resumeFile(t, um(map[string]any{"piece": int64(1) << 33, "bitmask": "\x01"})), ErrMalformed},
		{"unfinished huge bitmask", resumeFile(t, um(map[string]any{"piece": 1, "bitmask": strings.Repeat("\xff", maxBitmaskBytes+1)})), ErrMalformed},
		{"unfinished piece twice", resumeFile(t, map[string]any{"unfinished": []any{
			map[string]any{"piece": 1, "bitmask": "\x01"}, map[string]any{"piece": 1, "bitmask": "\x02"},
		}}), ErrMalformed},
		{"peers of 7 bytes", resumeFile(t, map[string]any{"peers": "1234567"}), ErrMalformed},
		{"peers6 of 17 bytes", resumeFile(t, map[string]any{"peers6": strings.Repeat("x", 17)}), ErrMalformed},
		{"banned_peers6 of 19 bytes", resumeFile(t, map[string]any{"banned_peers6": strings.Repeat("x", 19)}), ErrMalformed},
		{"peers type", resumeFile(t, map[string]any{"peers": 1}), ErrMalformed},
		{"peer dict bad ip", resumeFile(t, map[string]any{"peers": []any{map[string]any{"ip": "1.2.3", "port": 1}}}), ErrMalformed},
		{"peer dict zone", resumeFile(t, map[string]any{"peers": []any{map[string]any{"ip": "fe80::1%eth0", "port": 1}}}), ErrMalformed},
		{"peer dict port", resumeFile(t, map[string]any{"peers": []any{map[string]any{"ip": "1.2.3.4", "port": 70000}}}), ErrMalformed},
		{"peer dict no port", resumeFile(t, map[string]any{"peers": []any{map[string]any{"ip": "1.2.3.4"}}}), ErrMalformed},
		{"peer entry type", resumeFile(t, map[string]any{"banned_peers": []any{"1.2.3.4"}}), ErrMalformed},
		{"too many url-list entries", resumeFile(t, map[string]any{"url-list": manyStrings(maxURLs + 1)}), ErrMalformed},
		{"too many trackers", resumeFile(t, map[string]any{"trackers": []any{manyStrings(maxURLs + 1)}}), ErrMalformed},
		{"too many tiers", resumeFile(t, map[string]any{"trackers": manyTiers(maxTiers + 1)}), ErrMalformed},
		{"too many peers", resumeFile(t, map[string]any{"peers": strings.Repeat("123456", maxPeers+1)}), ErrMalformed},
		{"too many peers together", resumeFile(t, map[string]any{
			"peers": strings.Repeat("123456", maxPeers), "peers6": strings.Repeat("x", 18),
		}), ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decode(tc.in)
			if !errors.Is(err, tc.want) || d != nil {
				t.Fatalf("Decode = %v, %v; want %v", d, err, tc.want)
			}
			if !wrapsSentinel(err) {
				t.Fatalf("%v wraps no package sentinel", err)
			}
		})
	}
}

func TestDecodeErrorNamesKey(t *testing.T) {
	_, err := Decode(resumeFile(t, map[string]any{"seeding_time": "long"}))
	if err == nil || !strings.Contains(err.Error(), `"seeding_time"`) {
		t.Fatalf("error %v does not name the key", err)
	}
}

func TestDecodeTooLarge(t *testing.T) {
	b := resumeFileRaw(fmt.Sprintf("7:comment%d:%s", MaxFileSize, make([]byte, MaxFileSize)))
	if _, err := Decode(b); !errors.Is(err, ErrMalformed) || !errors.Is(err, bencodex.ErrTooLarge) {
		t.Fatalf("Decode(%d bytes) = %v", len(b), err)
	}
}

// resumeFileRaw is a valid header followed by raw bencoded key/values.
func resumeFileRaw(kv string) []byte {
	return []byte("d11:file-format22:libtorrent resume file9:info-hash20:aaaaaaaaaaaaaaaaaaaa" + kv + "e")
}

func manyStrings(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = "u"
	}
	return out
}

func manyTiers(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = []any{}
	}
	return out
}
