package metainfo

import (
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Path sanitising follows libtorrent's sanitize_append_path_element
// (src/torrent_info.cpp) so that a torrent lays out on disk the same way in
// both engines, and so that no path taken from a .torrent can ever leave the
// save path:
//
//   - "." is dropped; an empty component becomes "_";
//   - '/', '\\', NUL and the Unicode bidi overrides (U+202A..U+202E, U+200E,
//     U+200F) are removed from a component (libtorrent removes rather than
//     replaces them; NUL because its filter is a strchr, which finds the
//     terminator);
//   - other control characters (< 0x20) become '_', and so does each invalid
//     UTF-8 sequence, cut the way libtorrent's parse_utf8_codepoint cuts it
//     (a bad lead byte alone; a lead byte with the bytes it announces);
//   - a component left empty or made only of one or two dots ("..") is
//     dropped;
//   - components are cut at 240 bytes, keeping an extension of up to 9 bytes
//     that follows;
//   - on Windows, also: "?<>\"|\b*:" become '_', trailing spaces and dots are
//     removed and reserved device names get a '_' prefix.

const (
	// maxComponentBytes is where libtorrent starts truncating a component.
	maxComponentBytes = 240
	isWindows         = runtime.GOOS == "windows"
)

// sanitizeComponent returns the sanitised form of one path component, or ""
// if the component must be dropped.
func sanitizeComponent(elem string) string {
	switch elem {
	case ".":
		return ""
	case "":
		return "_"
	}
	var b strings.Builder
	b.Grow(min(len(elem), maxComponentBytes+16))
	added, dots := 0, 0
	foundExt := false
	for i := 0; i < len(elem); {
		r, size := parseCodepoint(elem[i:])
		start := i
		i += size
		valid := r >= 0
		if valid && filteredRune(r) {
			continue
		}
		if !valid || !validPathRune(r) {
			b.WriteByte('_')
			added++
			continue
		}
		b.WriteString(elem[start:i])
		if r == '.' {
			dots++
		}
		added += size
		if added >= maxComponentBytes && !foundExt {
			// Too long: jump to an extension in the last 9 bytes, if any.
			dot := -1
			for j := len(elem) - 1; j > max(len(elem)-10, start); j-- {
				if elem[j] == '.' {
					dot = j
					break
				}
			}
			if dot == -1 {
				break
			}
			foundExt = true
			i = dot
		}
	}
	if added == dots && added <= 2 {
		return "" // empty, "." or ".." after filtering
	}
	s := b.String()
	if isWindows {
		s = strings.TrimRight(s, " .")
		if s == "" {
			return ""
		}
		if isReservedWindowsName(s) {
			s = "_" + s
		}
	}
	return s
}

// filteredRune reports runes that libtorrent silently removes: NUL, path
// separators and the bidi controls that can disguise a file's extension.
func filteredRune(r rune) bool {
	switch r {
	case 0, '/', '\\', 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x200e, 0x200f:
		return true
	}
	return false
}

// validPathRune reports runes that may appear in a file name; others are
// replaced with '_'.
func validPathRune(r rune) bool {
	if r < 32 {
		return false
	}
	if isWindows && r < 128 && strings.ContainsRune("?<>\"|\b*:", r) {
		return false
	}
	return true
}

// isReservedWindowsName reports DOS device names, which Windows treats
// specially regardless of extension.
func isReservedWindowsName(s string) bool {
	base := strings.ToLower(s)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "con", "prn", "aux", "nul", "clock$", "conin$", "conout$":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "com") || strings.HasPrefix(base, "lpt")) {
		return base[3] >= '0' && base[3] <= '9'
	}
	return false
}

// sanitizePath sanitises every component, dropping those that vanish. If
// nothing is left it returns ["_"], as libtorrent does.
func sanitizePath(elems []string) []string {
	out := sanitizeElems(elems)
	if len(out) == 0 {
		out = append(out, "_")
	}
	return out
}

// sanitizeElems sanitises every component, dropping those that vanish.
func sanitizeElems(elems []string) []string {
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		if s := sanitizeComponent(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// dedupePaths renames files whose path collides, case-insensitively, with an
// earlier file or with any directory of the torrent, by libtorrent's scheme
// "name.ext" -> "name.1.ext". Pad files of equal size may share a path since
// they are never written.
func dedupePaths(files []File) {
	if len(files) < 2 {
		return
	}
	type owner struct {
		file int // index of the file owning the path, -1 for a directory
	}
	seen := make(map[string]owner, len(files)*2)
	for _, f := range files {
		for k := 1; k < len(f.PathComponents); k++ {
			seen[strings.ToLower(filepath.Join(f.PathComponents[:k]...))] = owner{-1}
		}
	}
	next := make(map[string]int) // next suffix to try per colliding path, keeps this linear
	for i := range files {
		f := &files[i]
		key := strings.ToLower(f.Path)
		prev, taken := seen[key]
		if !taken {
			seen[key] = owner{i}
			continue
		}
		if prev.file >= 0 && f.Pad && files[prev.file].Pad && files[prev.file].Length == f.Length {
			continue
		}
		last := f.PathComponents[len(f.PathComponents)-1]
		base, ext := last, filepath.Ext(last)
		if ext == last {
			ext = "" // ".bashrc" has no extension
		}
		base = last[:len(last)-len(ext)]
		for n := next[key] + 1; ; n++ {
			cand := base + "." + strconv.Itoa(n) + ext
			comps := append(append([]string(nil), f.PathComponents[:len(f.PathComponents)-1]...), cand)
			p := filepath.Join(comps...)
			if _, taken := seen[strings.ToLower(p)]; taken {
				continue
			}
			next[key] = n
			f.PathComponents, f.Path = comps, p
			seen[strings.ToLower(p)] = owner{i}
			break
		}
	}
}

// parseCodepoint decodes the UTF-8 sequence s starts with as libtorrent's
// parse_utf8_codepoint does, so that invalid input turns into the same
// number of '_' in both engines: it returns the code point, or -1 for an
// invalid sequence, and how many bytes to consume. Unlike utf8.DecodeRune,
// a lead byte announcing n bytes consumes n bytes even when they are not
// continuation bytes, and a 5-byte lead (0xf8..0xfb) consumes 5.
func parseCodepoint(s string) (rune, int) {
	b := s[0]
	var n int
	switch {
	case b < 0x80:
		return rune(b), 1
	case b>>5 == 0b110:
		n = 2
	case b>>4 == 0b1110:
		n = 3
	case b>>3 == 0b11110:
		n = 4
	case b>>2 == 0b111110:
		return -1, min(5, len(s))
	default:
		return -1, 1 // a continuation byte or 0xfc..0xff
	}
	if n > len(s) {
		return -1, len(s) // truncated: one '_' for the rest
	}
	r := rune(b) & (0x7f >> n)
	for k := 1; k < n; k++ {
		c := s[k]
		if c < 0x80 || c > 0xbf {
			return -1, n
		}
		r = r<<6 | rune(c&0x3f)
	}
	switch {
	case n == 2 && r < 0x80, n == 3 && r < 0x800, n == 4 && r < 0x10000:
		return -1, n // overlong
	case r > 0x10ffff, r >= 0xd800 && r <= 0xdfff:
		return -1, n
	}
	return r, n
}
