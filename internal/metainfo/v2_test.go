package metainfo

import (
	"strings"
	"testing"
)

// TestLibtorrentV2Torrents: equivalents of libtorrent's v2 test torrents
// (and a few more), with what libtorrent 2.0.8 does. Hybrids load as v1
// torrents with the file list libtorrent shows (the v2 one, pads named
// ".pad/N"); v2-only torrents are refused with ErrV2Only where libtorrent
// loads them.
func TestLibtorrentV2Torrents(t *testing.T) {
	tb := func(info map[string]any, outer ...any) []byte { return torrentBytes(t, info, infoKV(outer)) }
	const mib = 1 << 20
	multiHybrid := hybrid("h", 16384, hf{path: p("a.mp4"), length: 20000}, hf{path: p("b.avi"), length: 30000, attr: "x"}, hf{path: p("c"), length: 5})
	multiFiles := []wantFile{
		{path: "h/a.mp4", size: 20000}, {path: "h/.pad/12768", size: 12768, flags: "p---"},
		{path: "h/b.avi", size: 30000, flags: "-x--"}, {path: "h/.pad/2768", size: 2768, flags: "p---"},
		{path: "h/c", size: 5}, {path: "h/.pad/16379", size: 16379, flags: "p---"},
	}
	emptyFiles := hybrid("test", 16384, hf{path: p("1-empty")}, hf{path: p("2-small"), length: 512},
		hf{path: p("3-large"), length: 51200}, hf{path: p("4-empty")}, hf{path: p("5-empty")}, hf{path: p("6-empty")})
	symlinks := hybrid("SDL2.framework", 16384, hf{path: p("Headers"), attr: "xl", link: p("Versions", "Current", "Headers")},
		hf{path: p("Versions", "Current", "Headers", "SDL.h"), length: 4210})
	v2only := withInfo(hybrid("test1MB", 65536, hf{path: p("test1MB"), length: mib}), "pieces", nil, "length", nil)
	leaf := func(kv ...any) map[string]any { return info(kv...) }
	tree1 := func(l map[string]any) map[string]any { return info("test1MB", info("", l)) }
	root := strings.Repeat("r", 32)
	layers := func(k, v string) []any { return []any{"piece layers", info(k, v)} }

	runCases(t, []ltCase{
		{name: "v2 (hybrid, single file)", data: tb(hybrid("test64K", 65536, hf{path: p("test64K"), length: 65536})),
			wantName: "test64K", files: []wantFile{{path: "test64K", size: 65536}}},
		{name: "v2_multipiece_file", data: tb(hybrid("test1MB", 65536, hf{path: p("test1MB"), length: mib})),
			wantName: "test1MB", files: []wantFile{{path: "test1MB", size: mib}}},
		{name: "v2_hybrid", data: tb(multiHybrid), wantName: "h", files: multiFiles},
		{name: "v2_hybrid-missing-tailpad", data: tb(dropTailPad(multiHybrid)), wantName: "h", files: multiFiles[:5]},
		{name: "empty-files (tail pad only in v2)", data: tb(dropTailPad(emptyFiles)), wantName: "test", files: []wantFile{
			{path: "test/1-empty"}, {path: "test/2-small", size: 512}, {path: "test/.pad/15872", size: 15872, flags: "p---"},
			{path: "test/3-large", size: 51200}, {path: "test/4-empty"}, {path: "test/5-empty"}, {path: "test/6-empty"}}},
		{name: "hybrid symlinks", data: tb(symlinks), wantName: "SDL2.framework", files: []wantFile{
			{path: "SDL2.framework/Headers", flags: "-x-l", link: "SDL2.framework/Versions/Current/Headers"},
			{path: "SDL2.framework/Versions/Current/Headers/SDL.h", size: 4210},
			{path: "SDL2.framework/.pad/12174", size: 12174, flags: "p---"}}},
		{name: "attributes may differ (v2's are kept)", data: tb(withInfo(multiHybrid, "files", setAttr(multiHybrid["files"], 2, ""))),
			wantName: "h", files: multiFiles},
		{name: "v2_no_piece_layers (hybrid)", data: tb(hybrid("test1MB", 65536, hf{path: p("test1MB"), length: mib})),
			wantName: "test1MB", files: []wantFile{{path: "test1MB", size: mib}}},
		{name: "v2_incomplete_piece_layer (hybrid)", data: tb(multiHybrid, layers(strings.Repeat("A", 32), strings.Repeat("h", 64))...),
			wantName: "h", files: multiFiles},

		{name: "v2_only", data: tb(v2only), is: ErrV2Only, err: "v2-only"},
		{name: "v2_multiple_files (v2-only)", data: tb(withInfo(multiHybrid, "files", nil, "pieces", nil)), is: ErrV2Only},
		{name: "v2_symlinks (v2-only)", data: tb(withInfo(symlinks, "files", nil, "pieces", nil)), is: ErrV2Only},
		{name: "meta version 2, files, no pieces", data: tb(withInfo(multiHybrid, "pieces", nil)), is: ErrV2Only},
		{name: "v2_mismatching_metadata", data: tb(withInfo(hybrid("test1MB", 65536, hf{path: p("test1MB"), length: mib}),
			"file tree", info("/est1MB", info("", leaf("length", mib, "pieces root", root))))), is: ErrInconsistentFiles},
		{name: "v2_bad_file_alignment (wrong pad size)", data: tb(withInfo(multiHybrid, "files", setLength(multiHybrid["files"], 1, 12767))),
			is: ErrInconsistentFiles, err: "bytes in v1"},
		{name: "file sizes differ", data: tb(withInfo(multiHybrid, "files", setLength(setLength(multiHybrid["files"], 0, 20001), 1, 12767))),
			is: ErrInconsistentFiles, err: "file 0"},
		{name: "files in another order", data: tb(withInfo(multiHybrid, "files", swap(multiHybrid["files"], 0, 2))), is: ErrInconsistentFiles},
		{name: "a file only in v1", data: tb(withInfo(multiHybrid, "files", append(multiHybrid["files"].([]any), fe(0, p("d"))))),
			is: ErrInconsistentFiles, err: "files in v1"},
		{name: "v2_invalid_file", data: tb(withInfo(v2only, "file tree", info("test1MB", leaf("length", mib, "pieces root", root)))),
			err: "not a directory or a file"},
		{name: "v2_deep_recursion", data: tb(withInfo(v2only, "file tree", deepTree(101))), err: "too deep"},
		{name: "v2_unordered_files", data: unorderedV2(), err: "unsorted dictionary key"},
		{name: "duplicate keys in a v2 torrent", data: []byte(strings.Replace(string(tb(v2only)), "4:name7:test1MB", "4:name7:test1MB4:name1:x", 1)),
			err: "duplicate dictionary key"},
		{name: "v2_overlong_integer", data: []byte(strings.Replace(string(tb(v2only)), "i2e", "i02e", 1)), err: "non-canonical integer"},
		{name: "v2_missing_file_root", data: tb(withInfo(v2only, "file tree", tree1(leaf("length", mib)))), err: "no pieces root"},
		{name: "v2_zero_root", data: tb(withInfo(v2only, "file tree", tree1(leaf("length", mib, "pieces root", strings.Repeat("\x00", 32))))),
			err: "no pieces root"},
		{name: "v2_large_file", data: tb(withInfo(v2only, "file tree", tree1(leaf("length", int64(MaxFileLength), "pieces root", root)))),
			err: "too large"},
		{name: "v2_no_power2_piece", data: tb(withInfo(v2only, "piece length", 32767)), err: "power of two"},
		{name: "v2_piece_size (below 16 KiB)", data: tb(withInfo(v2only, "piece length", 8192)), err: "power of two"},
		{name: "v2_invalid_pad_file", data: tb(withInfo(v2only, "file tree", tree1(leaf("length", mib, "pieces root", root, "attr", "p")))),
			err: "pad attribute"},
		{name: "v2_invalid_piece_layer (key not a root)", data: tb(multiHybrid, layers("short", strings.Repeat("h", 32))...), err: "piece layer"},
		{name: "v2_non_multiple_piece_layer", data: tb(multiHybrid, layers(strings.Repeat("A", 32), strings.Repeat("h", 33))...), err: "piece layer"},
		{name: "v2_invalid_piece_layer_size", data: tb(multiHybrid, layers(strings.Repeat("A", 32), strings.Repeat("h", 96))...), err: "piece layer"},
		{name: "unknown meta version", data: tb(withInfo(single("n", 5), "meta version", 3)), err: "unknown meta version"},
		{name: "file tree without meta version 2", data: tb(withInfo(multiHybrid, "meta version", nil)), err: "without meta version 2"},
		{name: "file tree with meta version 1", data: tb(withInfo(multiHybrid, "meta version", 1)), err: "without meta version 2"},
		{name: "meta version 2 without a file tree", data: tb(withInfo(multiHybrid, "file tree", nil)), err: "without a file tree"},
		{name: "meta version 2 with a file tree not a dict", data: tb(withInfo(multiHybrid, "file tree", "x")), err: "without a file tree"},
		{name: "meta version 1 alone is v1", data: tb(single("n", 5, "meta version", 1)), wantName: "n", files: []wantFile{{path: "n", size: 5}}},
	})
}

// dropTailPad removes the last pad of a hybrid's v1 list, as libtorrent
// 2.0.0 to 2.0.7 created hybrids, and fixes the piece count.
func dropTailPad(in map[string]any) map[string]any {
	files := append([]any(nil), in["files"].([]any)...)
	k := len(files) - 1
	for files[k].(map[string]any)["length"].(int64) == 0 {
		k-- // empty files after the tail pad stay
	}
	if files[k].(map[string]any)["attr"] != "p" {
		panic("no tail pad")
	}
	files = append(files[:k], files[k+1:]...)
	var total int64
	for _, f := range files {
		total += f.(map[string]any)["length"].(int64)
	}
	pl := in["piece length"].(int64)
	return withInfo(in, "files", files, "pieces", fakePieces(int((total+pl-1)/pl)))
}

// setLength returns a copy of a "files" list with entry i's length set.
func setLength(list any, i int, n int64) []any {
	out := append([]any(nil), list.([]any)...)
	out[i] = withInfo(out[i].(map[string]any), "length", n)
	return out
}

// setAttr returns a copy of a "files" list with entry i's attr set.
func setAttr(list any, i int, attr string) []any {
	out := append([]any(nil), list.([]any)...)
	out[i] = withInfo(out[i].(map[string]any), "attr", attr)
	return out
}

func swap(list any, i, j int) []any {
	out := append([]any(nil), list.([]any)...)
	out[i], out[j] = out[j], out[i]
	return out
}

// deepTree is a file tree nested n directories deep.
func deepTree(n int) map[string]any {
	t := info("f", info("", info("length", 1, "pieces root", strings.Repeat("r", 32))))
	for range n {
		t = info("d", t)
	}
	return t
}

// unorderedV2 is a v2-only info dict whose file tree lists "b" before "a":
// fine in a v1 torrent, invalid bencoding in a v2 one (libtorrent's soft
// error).
func unorderedV2() []byte {
	leaf := "d0:d6:lengthi1e11:pieces root32:" + strings.Repeat("r", 32) + "ee"
	info := "d9:file treed1:b" + leaf + "1:a" + leaf + "e12:meta versioni2e4:name1:t12:piece lengthi16384ee"
	return []byte("d4:info" + info + "e")
}
