package metainfo

import (
	"strings"
	"testing"
)

// TestLibtorrentTestTorrents holds an equivalent of every torrent of
// libtorrent's test/test_torrent_info.cpp lists (test_torrents and
// test_error_torrents) that is about the info dict, named after its file,
// with what libtorrent 2.0.8 (Debian's python binding) makes of it. The
// v2 ones are in TestLibtorrentV2Torrents.
func TestLibtorrentTestTorrents(t *testing.T) {
	tb := func(info map[string]any, outer ...any) []byte {
		return torrentBytes(t, info, map[string]any(infoKV(outer)))
	}
	long := strings.Repeat("abcdefghij0123456789", 15) + "abcdefghij0.23456789"
	runCases(t, []ltCase{
		{name: "base", data: tb(single("temp", 425)), wantName: "temp", files: []wantFile{{path: "temp", size: 425}}},
		{name: "empty_path", data: tb(multi(fe(425, p("", "")))), wantName: "temp",
			files: []wantFile{{path: "temp/_/_", size: 425}}},
		{name: "parent_path", data: tb(multi(fe(425, p("..", "..", "bar")))), wantName: "temp",
			files: []wantFile{{path: "temp/bar", size: 425}}},
		{name: "hidden_parent_path", data: tb(multi(fe(425, p("foo/../../../bar", "bar")))), wantName: "temp",
			files: []wantFile{{path: "temp/foo......bar/bar", size: 425}}},
		{name: "single_multi_file", data: tb(multi(fe(425, p("foo", "bar")))), wantName: "temp",
			files: []wantFile{{path: "temp/foo/bar", size: 425}}},
		{name: "slash_path", data: tb(multi(fe(425, p("/", "/", "bar")))), wantName: "temp",
			files: []wantFile{{path: "temp/bar", size: 425}}},
		{name: "slash_path2", data: tb(multi(fe(425, p("abc/../../def", "/", "bar")))), wantName: "temp",
			files: []wantFile{{path: "temp/abc....def/bar", size: 425}}},
		{name: "slash_path3", data: tb(single("temp/../../abc", 12432)), wantName: "temp....abc",
			files: []wantFile{{path: "temp....abc", size: 12432}}},
		{name: "backslash_path", data: tb(multi(fe(425, p(`\`, `\`, "bar")))), wantName: "temp",
			files: []wantFile{{path: "temp/bar", size: 425}}},
		{name: "long_name", data: tb(single(long, 425)), wantName: long[:240] + ".23456789",
			files: []wantFile{{path: long[:240] + ".23456789", size: 425}}},
		{name: "duplicate_files", data: tb(multi(fe(425, p("foo", "bar.txt")), fe(425, p("foo", "bar.txt")))), wantName: "temp",
			files: []wantFile{{path: "temp/foo/bar.txt", size: 425}, {path: "temp/foo/bar.1.txt", size: 425}}},
		{name: "pad_file", data: tb(multi(fe(45, p("foo", "bar.txt")), fe(2124, p("_____padding_file_")))), wantName: "temp",
			files: []wantFile{{path: "temp/foo/bar.txt", size: 45}, {path: "temp/_____padding_file_", size: 2124, flags: "p---"}}},
		{name: "pad_file_no_path", data: tb(multi(fe(45, p("foo", "bar.txt")), fe(2124, nil, "attr", "p"))), wantName: "temp",
			files: []wantFile{{path: "temp/foo/bar.txt", size: 45}, {path: ".pad/2124", size: 2124, flags: "p---"}}},
		{name: "empty_path_multi", data: tb(multi(fe(425, p("abcde")), fe(3, p("")), fe(5, p("")))), wantName: "temp",
			files: []wantFile{{path: "temp/abcde", size: 425}, {path: "temp/_", size: 3}, {path: "temp/_.1", size: 5}}},
		{name: "invalid_name2 (.. is named by its info-hash)", data: tb(withInfo(multi(fe(425, p("foo", "bar.txt"))), "name", "..")),
			wantName: "#", files: []wantFile{{path: hashName(t, withInfo(multi(fe(425, p("foo", "bar.txt"))), "name", "..")) + "/foo/bar.txt", size: 425}}},
		{name: "invalid_name3 (trailing space kept)", data: tb(withInfo(multi(fe(425, p("foo", "bar.txt"))), "name", "foobar ")),
			wantName: "foobar ", files: []wantFile{{path: "foobar /foo/bar.txt", size: 425}}},
		{name: "symlink1", data: tb(multi(fe(425, p("a", "b", "bar")), fe(425, p("a", "b", "foo"), "attr", "l", "symlink path", p("a", "b", "bar")))),
			wantName: "temp", files: []wantFile{{path: "temp/a/b/bar", size: 425}, {path: "temp/a/b/foo", flags: "---l", link: "temp/a/b/bar"}}},
		{name: "symlink_zero_size", data: tb(multi(fe(425, p("a", "b", "bar")), info("attr", "l", "path", p("a", "b", "foo"), "symlink path", p("a", "b", "bar")))),
			wantName: "temp", files: []wantFile{{path: "temp/a/b/bar", size: 425}, {path: "temp/a/b/foo", flags: "---l", link: "temp/a/b/bar"}}},
		{name: "symlink2 (target relative to the link's directory)", data: tb(withInfo(multi(
			fe(0, p("SDL2"), "attr", "xl", "symlink path", p("Versions", "A", "SDL2")),
			fe(2514, p("Versions", "A", "_CodeSignature", "CodeResources")),
			fe(1310, p("Versions", "A", "Resources", "Info.plist")),
			fe(0, p("Versions", "A", "SDL2")),
			fe(0, p("Versions", "Current"), "attr", "xl", "symlink path", p("A")),
		), "name", "Some.framework")), wantName: "Some.framework", files: []wantFile{
			{path: "Some.framework/SDL2", flags: "-x-l", link: "Some.framework/Versions/A/SDL2"},
			{path: "Some.framework/Versions/A/_CodeSignature/CodeResources", size: 2514},
			{path: "Some.framework/Versions/A/Resources/Info.plist", size: 1310},
			{path: "Some.framework/Versions/A/SDL2"},
			{path: "Some.framework/Versions/Current", flags: "-x-l", link: "Some.framework/Versions/A"},
		}},
		{name: "unordered (unsorted keys in a v1 torrent)", data: []byte("d4:infod4:name4:temp6:lengthi425e12:piece lengthi16384e6:pieces20:" +
			string(fakePieces(1)) + "ee"), wantName: "temp", files: []wantFile{{path: "temp", size: 425}}},
		{name: "large", data: tb(info("name", "large", "piece length", 1<<20, "pieces", fakePieces(5000), "files", []any{fe(5242880000, p("stress_test0"))})),
			wantName: "large", files: []wantFile{{path: "large/stress_test0", size: 5242880000}}},
		{name: "absolute_filename", data: tb(multi(fe(425, p("abcde")), fe(5, p("/foobar")))), wantName: "temp",
			files: []wantFile{{path: "temp/abcde", size: 425}, {path: "temp/foobar", size: 5}}},
		{name: "invalid_filename", data: tb(withInfo(multi(fe(51200, p("f")), fe(14336, p("."))), "name", `\est2`, "pieces", fakePieces(4))),
			wantName: "est2", files: []wantFile{{path: "est2/f", size: 51200}, {path: "est2/_", size: 14336}}},
		{name: "invalid_filename2", data: tb(withInfo(multi(fe(51200, p("f")), fe(14335, p(".", ".")), fe(1, p("/", "."))), "name", `\est2`, "pieces", fakePieces(4))),
			wantName: "est2", files: []wantFile{{path: "est2/f", size: 51200}, {path: "est2/_", size: 14335}, {path: "est2/_.1", size: 1}}},

		{name: "missing_piece_len", data: tb(withInfo(single("temp", 425), "piece length", nil)), err: "piece length"},
		{name: "invalid_piece_len", data: tb(withInfo(single("temp", 425), "piece length", "16384")), err: "piece length"},
		{name: "negative_piece_len", data: tb(withInfo(single("temp", 425), "piece length", -16384)), err: "piece length"},
		{name: "no_name", data: tb(withInfo(multi(fe(425, p("foo"))), "name", nil)), err: "missing name"},
		{name: "bad_name (a single file named by NULs)", data: tb(single("\x00\x00\x00\x00", 425)), err: "missing name"},
		{name: "invalid_name (not a string)", data: tb(withInfo(multi(fe(425, p("foo"))), "name", 1348)), err: "missing name"},
		{name: "invalid_info", data: []byte("d4:info5:filese"), err: "info must be a dictionary"},
		{name: "string", data: []byte("5:hello"), err: "not a dictionary"},
		{name: "negative_size", data: tb(single("temp", -425)), err: "length"},
		{name: "negative_file_size", data: tb(multi(fe(-45, p("foo")), fe(24124, p("bar")))), err: "length"},
		{name: "invalid_file_size", data: tb(multi(info("length", []any{45}, "path", p("foo")))), err: "length"},
		{name: "invalid_path_list", data: tb(multi(info("length", 425, "path", []any{1242, "foo"}))), err: "list of strings"},
		{name: "missing_path_list", data: tb(multi(info("length", 425), fe(425, p("foo")))), err: "missing or empty path"},
		{name: "invalid_pieces", data: tb(withInfo(single("temp", 425), "pieces", -23)), err: "pieces"},
		{name: "unaligned_pieces", data: tb(withInfo(multi(fe(425, p("a")), fe(425, p("b"))), "pieces", "012345678901234567890123")), err: "piece hashes"},
		{name: "invalid_symlink", data: tb(multi(fe(0, p("a", "b", "bar")), fe(425, []string{"a"}, "attr", "l", "symlink path", []any{"foo", 4}))),
			err: "symlink path must be a list of strings"},
		{name: "many_pieces", data: tb(single("temp", 1759218597889)), err: "too many pieces"},
		{name: "no_files", data: tb(multi()), err: "no files"},
		{name: "zero", data: tb(withInfo(single("temp", 0), "pieces", "")), err: "no data"},
		{name: "zero2 (only empty files)", data: tb(withInfo(multi(fe(0, p("a")), fe(0, p(".pad", "0"), "attr", "p"), fe(0, p("b"))), "pieces", "")), err: "no data"},
	})
}

// infoKV turns outer keys given as pairs into a map (nil for none).
func infoKV(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	return info(kv...)
}
