package metainfo

import "testing"

// TestBEP47Attributes: the "attr" letters, pad files and symlinks, as
// libtorrent 2.0.8 loads them (each case checked with its python binding).
func TestBEP47Attributes(t *testing.T) {
	tb := func(info map[string]any) []byte { return torrentBytes(t, info, nil) }
	link := func(path []string, target ...string) map[string]any {
		return fe(0, path, "attr", "l", "symlink path", target)
	}
	runCases(t, []ltCase{
		{name: "x and h are kept", data: tb(multi(fe(5, p("a"), "attr", "xh"), fe(5, p("b"), "attr", "h"))), wantName: "temp",
			files: []wantFile{{path: "temp/a", size: 5, flags: "-xh-"}, {path: "temp/b", size: 5, flags: "--h-"}}},
		{name: "unknown letters are ignored", data: tb(multi(fe(5, p("a"), "attr", "zq"))), wantName: "temp",
			files: []wantFile{{path: "temp/a", size: 5}}},
		{name: "a single file has attributes too", data: tb(single("x", 5, "attr", "xh")), wantName: "x",
			files: []wantFile{{path: "x", size: 5, flags: "-xh-"}}},
		{name: "a single file can be a pad file", data: tb(single("x", 5, "attr", "p")), wantName: "x",
			files: []wantFile{{path: "x", size: 5, flags: "p---"}}},
		{name: "BitComet pad file by name, single file", data: tb(single("_____padding_file_1", 5)), wantName: "_____padding_file_1",
			files: []wantFile{{path: "_____padding_file_1", size: 5, flags: "p---"}}},
		{name: "pad file without a path goes under .pad", data: tb(multi(fe(5, p("a")), fe(7, nil, "attr", "p"), fe(3, p("b")))), wantName: "temp",
			files: []wantFile{{path: "temp/a", size: 5}, {path: ".pad/7", size: 7, flags: "p---"}, {path: "temp/b", size: 3}}},
		{name: "pad file whose path is not a list", data: tb(multi(fe(5, p("a")), info("length", 7, "attr", "p", "path", "str"))), wantName: "temp",
			files: []wantFile{{path: "temp/a", size: 5}, {path: ".pad/7", size: 7, flags: "p---"}}},
		{name: "pad file with an empty path", data: tb(multi(fe(5, p("a")), fe(7, []string{}, "attr", "p"))), wantName: "temp",
			files: []wantFile{{path: "temp/a", size: 5}, {path: ".pad/7", size: 7, flags: "p---"}}},
		{name: "pad file with a path", data: tb(multi(fe(5, p("a")), fe(7, p(".pad", "7"), "attr", "p"))), wantName: "temp",
			files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/.pad/7", size: 7, flags: "p---"}}},

		{name: "a symlink's length is 0 whatever it says", data: tb(multi(fe(5, p("a")), fe(425, p("l"), "attr", "l", "symlink path", p("a")))),
			wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/l", flags: "---l", link: "temp/a"}}},
		{name: "a symlink without symlink path is an empty file", data: tb(multi(fe(5, p("a")), fe(3, p("l"), "attr", "l"))),
			wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/l"}}},
		{name: "a symlink to nothing is an empty file", data: tb(multi(fe(5, p("a")), link(p("l")))),
			wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/l"}}},
		{name: "a symlink to .. is an empty file", data: tb(multi(fe(5, p("a")), link(p("l"), ".."))),
			wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/l"}}},
		{name: "symlink climbing out points to itself", data: tb(multi(fe(5, p("a")), link(p("l"), "..", "..", "etc", "passwd"))),
			wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/l", flags: "---l", link: "temp/l"}}},
		{name: "absolute symlink points to itself", data: tb(multi(fe(5, p("a")), link(p("l"), "/etc/passwd"))),
			wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/l", flags: "---l", link: "temp/l"}}},
		{name: "absolute symlink in elements points to itself", data: tb(multi(fe(5, p("a")), link(p("l"), "/etc", "passwd"))),
			wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/l", flags: "---l", link: "temp/l"}}},
		{name: "symlink to a missing file points to itself", data: tb(multi(fe(5, p("a")), link(p("l"), "nope"))),
			wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/l", flags: "---l", link: "temp/l"}}},
		{name: "symlink .. inside the torrent is sanitised away", data: tb(multi(fe(5, p("d", "a")), link(p("d", "l"), "..", "a"))),
			wantName: "temp", files: []wantFile{{path: "temp/d/a", size: 5}, {path: "temp/d/l", flags: "---l", link: "temp/d/a"}}},
		{name: "symlink to a directory", data: tb(multi(fe(5, p("d", "a")), link(p("l"), "d"))),
			wantName: "temp", files: []wantFile{{path: "temp/d/a", size: 5}, {path: "temp/l", flags: "---l", link: "temp/d"}}},
		{name: "symlink through a symlinked directory", data: tb(multi(fe(5, p("d", "a")), link(p("e"), "d"), link(p("l"), "e", "a"))),
			wantName: "temp", files: []wantFile{{path: "temp/d/a", size: 5}, {path: "temp/e", flags: "---l", link: "temp/d"},
				{path: "temp/l", flags: "---l", link: "temp/e/a"}}},
		{name: "symlink loop points to itself", data: tb(multi(fe(5, p("a")), link(p("x"), "y", "q"), link(p("y"), "x", "q"))),
			wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/x", flags: "---l", link: "temp/x"},
				{path: "temp/y", flags: "---l", link: "temp/y"}}},
		{name: "pad and symlink", data: tb(multi(fe(5, p("a")), fe(7, p("p"), "attr", "pl", "symlink path", p("a")))),
			wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}, {path: "temp/p", flags: "p--l", link: "temp/a"}}},
		{name: "symlink path holding a non-string", data: tb(multi(fe(5, p("a")), fe(0, p("l"), "attr", "l", "symlink path", []any{"a", 4}))),
			err: "symlink path must be a list of strings"},
		{name: "only symlinks", data: tb(withInfo(multi(link(p("a"), "b"), link(p("b"), "a")), "pieces", "")), err: "no data"},
	})
}

// TestLibtorrentNames: names and path elements as libtorrent 2.0.8 makes
// them (checked with its python binding).
func TestLibtorrentNames(t *testing.T) {
	tb := func(info map[string]any) []byte { return torrentBytes(t, info, nil) }
	named := func(name string) map[string]any { return withInfo(multi(fe(5, p("x"))), "name", name) }
	runCases(t, []ltCase{
		{name: "NUL is removed from a name", data: tb(single("a\x00b", 5)), wantName: "ab", files: []wantFile{{path: "ab", size: 5}}},
		{name: "NUL is removed from name.utf-8", data: tb(single("x", 5, "name.utf-8", "u\x00v")), wantName: "uv", files: []wantFile{{path: "uv", size: 5}}},
		{name: "NUL is removed from a path", data: tb(multi(fe(5, p("a\x00b", "c\x00")))), wantName: "temp", files: []wantFile{{path: "temp/ab/c", size: 5}}},
		{name: "a path of NULs becomes _", data: tb(multi(fe(5, p("\x00")))), wantName: "temp", files: []wantFile{{path: "temp/_", size: 5}}},
		{name: "other control characters become _", data: tb(multi(fe(5, p("a\x01b")))), wantName: "temp", files: []wantFile{{path: "temp/a_b", size: 5}}},
		{name: "NUL in a directory name", data: tb(named("a\x00b")), wantName: "ab", files: []wantFile{{path: "ab/x", size: 5}}},
		{name: "directory named by NULs gets its info-hash", data: tb(named("\x00")), wantName: "#",
			files: []wantFile{{path: hashName(t, named("\x00")) + "/x", size: 5}}},
		{name: "directory named / gets its info-hash", data: tb(named("/")), wantName: "#", files: []wantFile{{path: hashName(t, named("/")) + "/x", size: 5}}},
		{name: "directory named . gets its info-hash", data: tb(named(".")), wantName: "#", files: []wantFile{{path: hashName(t, named(".")) + "/x", size: 5}}},
		{name: "directory with an empty name is _", data: tb(named("")), wantName: "_", files: []wantFile{{path: "_/x", size: 5}}},
		{name: "empty name.utf-8 of a directory", data: tb(withInfo(multi(fe(5, p("a"))), "name.utf-8", "")), wantName: "_",
			files: []wantFile{{path: "_/a", size: 5}}},
		{name: "single file with an empty name", data: tb(single("", 5)), err: "missing name"},
		{name: "single file named ..", data: tb(single("..", 5)), err: "missing name"},
		{name: "empty name.utf-8 of a single file", data: tb(single("n", 5, "name.utf-8", "")), err: "missing name"},
		{name: "name.utf-8 not a string", data: tb(single("n", 5, "name.utf-8", 5)), wantName: "n", files: []wantFile{{path: "n", size: 5}}},
		{name: "name not a string, name.utf-8 is", data: tb(withInfo(single("n", 5), "name", 5, "name.utf-8", "u")), wantName: "u",
			files: []wantFile{{path: "u", size: 5}}},
		{name: "path.utf-8 wins", data: tb(multi(fe(7, p("a"), "path.utf-8", p("u")))), wantName: "temp", files: []wantFile{{path: "temp/u", size: 7}}},
		{name: "path.utf-8 not a list is ignored", data: tb(multi(fe(7, p("a"), "path.utf-8", "x"))), wantName: "temp", files: []wantFile{{path: "temp/a", size: 7}}},
		{name: "empty path.utf-8 list still wins", data: tb(multi(fe(7, p("a"), "path.utf-8", p()))), err: "missing or empty path"},
		{name: "path.utf-8 holding a non-string", data: tb(multi(fe(7, p("a"), "path.utf-8", []any{1}))), err: "list of strings"},
		{name: "files wins over length", data: tb(withInfo(multi(fe(5, p("a"))), "length", 7)), wantName: "temp", files: []wantFile{{path: "temp/a", size: 5}}},
		{name: "files not a list: a single file", data: tb(withInfo(multi(), "files", "x", "length", 7)), wantName: "temp", files: []wantFile{{path: "temp", size: 7}}},
		{name: "file entry not a dict", data: tb(multi(fe(5, p("a")), "x")), err: "not a dictionary"},
	})
}

// TestPrivateNonZero: any non-zero "private" is private, as in libtorrent.
func TestPrivateNonZero(t *testing.T) {
	m, err := Parse(torrentBytes(t, single("n", 5, "private", 2), nil))
	if err != nil || !m.Info.Private {
		t.Fatalf("private=2: %v %v", m, err)
	}
}

// TestFileFlags: File.Flags has libtorrent's file_storage flag values.
func TestFileFlags(t *testing.T) {
	f := File{Pad: true, Hidden: true, Executable: true, Symlink: true}
	if f.Flags() != 15 || FlagPadFile != 1 || FlagHidden != 2 || FlagExecutable != 4 || FlagSymlink != 8 {
		t.Fatalf("flags %d", f.Flags())
	}
	if (&File{Executable: true}).Flags() != FlagExecutable {
		t.Fatal("executable")
	}
}
