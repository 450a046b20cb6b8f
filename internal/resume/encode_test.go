package resume

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTripFullData(t *testing.T) {
	d := fullData()
	b, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode(Encode(d)): %v", err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("round trip differs:\n got %+v\nwant %+v", got, d)
	}
	// Encoding is deterministic.
	if b2, _ := got.Encode(); string(b2) != string(b) {
		t.Fatal("second Encode differs from the first")
	}
}

func TestEncodeExactBytes(t *testing.T) {
	d := &Data{
		InfoHash:          testHash,
		LibtorrentVersion: "actorrent",
		SavePath:          "/dl",
		Pieces:            []byte{1, 0},
		Unfinished:        []UnfinishedPiece{{Piece: 1, Blocks: []bool{true, false, true}}},
		FileSizes:         []FileSize{{Size: 5, MTime: 7}},
		Trackers:          [][]string{{"http://t/a"}},
		Peers:             []netip.AddrPort{netip.MustParseAddrPort("1.2.3.4:6881")},
		NumComplete:       -1,
		Paused:            true,
		Allocation:        AllocationSparse,
	}
	// Keys in byte order, as bencode requires; what 2.0.8 writes for the
	// same state, plus "file sizes".
	want := "d" +
		"11:active_timei0e" + "10:added_timei0e" + "10:allocation6:sparse" +
		"15:apply_ip_filteri0e" + "12:auto_managedi0e" + "14:completed_timei0e" +
		"11:disable_dhti0e" + "11:disable_lsdi0e" + "11:disable_pexi0e" +
		"19:download_rate_limiti0e" + "10:file sizeslli5ei7eee" +
		"11:file-format22:libtorrent resume file" + "12:file-versioni1e" +
		"13:finished_timei0e" + "9:info-hash20:aaaaaaaaaaaaaaaaaaaa" +
		"10:info-hash232:" + strings.Repeat("\x00", 32) +
		"13:last_downloadi0e" + "18:last_seen_completei0e" + "11:last_uploadi0e" +
		"18:libtorrent-version9:actorrent" + "15:max_connectionsi0e" + "11:max_uploadsi0e" +
		"12:num_completei16777215e" + "14:num_downloadedi0e" + "14:num_incompletei0e" +
		"6:pausedi1e" + "5:peers6:\x01\x02\x03\x04\x1a\xe1" + "6:peers60:" +
		"6:pieces2:\x01\x00" + "9:save_path3:/dl" + "9:seed_modei0e" + "12:seeding_timei0e" +
		"19:sequential_downloadi0e" + "10:share_modei0e" + "15:stop_when_readyi0e" +
		"13:super_seedingi0e" + "16:total_downloadedi0e" + "14:total_uploadedi0e" +
		"8:trackersll10:http://t/aee" + "10:unfinishedld7:bitmask1:\xa05:piecei1eee" +
		"11:upload_modei0e" + "17:upload_rate_limiti0e" +
		"e"
	got, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("Encode:\n got %q\nwant %q", got, want)
	}
}

func TestEncodeRefuses(t *testing.T) {
	tests := []struct {
		name string
		edit func(d *Data)
	}{
		{"negative counter", func(d *Data) { d.TotalUploaded = -1 }},
		{"negative time", func(d *Data) { d.AddedTime = -5 }},
		{"scrape count below -1", func(d *Data) { d.NumComplete = -2 }},
		{"scrape count is the unknown marker", func(d *Data) { d.NumIncomplete = 0xffffff }},
		{"limit over 32 bits", func(d *Data) { d.MaxUploads = 1 << 40 }},
		{"1.x version with posix last times", func(d *Data) { d.LibtorrentVersion = "1.0.11.0" }},
		{"allocation", func(d *Data) { d.Allocation = "full" }},
		{"info not a dict", func(d *Data) { d.Info = []byte("le"); d.InfoHash = sha1Of(d.Info) }},
		{"info not bencode", func(d *Data) { d.Info = []byte("d1:a"); d.InfoHash = sha1Of(d.Info) }},
		{"info of another torrent", func(d *Data) { d.InfoHash[0] ^= 1 }},
		{"info-hash2 not the info's", func(d *Data) { d.InfoHash2[0] = 1 }},
		{"piece priority", func(d *Data) { d.PiecePriority[0] = 8 }},
		{"file priority", func(d *Data) { d.FilePriority[0] = -1 }},
		{"file size", func(d *Data) { d.FileSizes[0].Size = -1 }},
		{"unfinished negative piece", func(d *Data) { d.Unfinished[0].Piece = -1 }},
		{"unfinished no blocks", func(d *Data) { d.Unfinished[0].Blocks = nil }},
		{"unfinished twice", func(d *Data) { d.Unfinished = append(d.Unfinished, d.Unfinished[0]) }},
		{"peer without address", func(d *Data) { d.Peers = append(d.Peers, netip.AddrPort{}) }},
		{"peer with zone", func(d *Data) { d.BannedPeers = []netip.AddrPort{netip.MustParseAddrPort("[fe80::1%eth0]:1")} }},
		{"too many tiers", func(d *Data) { d.Trackers = make([][]string, maxTiers+1) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := fullData()
			tc.edit(d)
			if _, err := d.Encode(); !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("Encode = %v, want ErrInvalidArgument", err)
			}
		})
	}
}

func TestEncodeNilListsOmitted(t *testing.T) {
	// nil Trackers/URLList/HTTPSeeds/FileSizes: keys absent, so a reader
	// keeps the .torrent's lists; an empty non-nil slice writes "le".
	d := &Data{InfoHash: testHash}
	b, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"8:trackers", "8:url-list", "9:httpseeds", "10:file sizes", "4:info", "4:name", "10:unfinished", "5:peers"} {
		if strings.Contains(string(b), k) {
			t.Errorf("%s written for a nil value", k)
		}
	}
	d.Trackers, d.URLList, d.HTTPSeeds = [][]string{}, []string{}, []string{}
	b, _ = d.Encode()
	for _, k := range []string{"8:trackersle", "8:url-listle", "9:httpseedsle"} {
		if !strings.Contains(string(b), k) {
			t.Errorf("%s not written for an empty value", k)
		}
	}
	got, err := Decode(b)
	if err != nil || got.Trackers == nil || got.URLList == nil || got.HTTPSeeds == nil {
		t.Fatalf("empty lists decode as %+v, %v", got, err)
	}
}
