package metainfo

import (
	"path"
	"path/filepath"
	"strings"
)

// sanitizeSymlinks checks every symlink's target the way libtorrent's
// file_storage::sanitize_symlinks does: a target may only name a file or a
// directory of the torrent — directly, relative to the link's own
// directory, or through other links of the torrent. Any other target
// (absolute, outside the torrent, missing, a loop) makes the link point to
// itself; the torrent is not refused. Targets are sanitised element by
// element before this (no "..", no separators), so none can climb out of
// the torrent's root.
//
// On entry SymlinkPath holds a link's '/'-separated target relative to the
// torrent's root; on return it is the target relative to the save path
// (name first, OS separators), libtorrent's file_storage::symlink().
func sanitizeSymlinks(files []File, name string) {
	var links []int
	for i := range files {
		if files[i].Symlink {
			links = append(links, i)
		}
	}
	if len(links) == 0 {
		return
	}
	// Paths inside the torrent, '/'-separated, without the torrent's name
	// (libtorrent's internal_file_path).
	internal := make([]string, len(files))
	fileMap := make(map[string]int, len(files))
	withFiles := map[string]bool{} // directories holding files (m_paths)
	dirs := map[string]bool{}      // every directory of the torrent
	for i := range files {
		comps := files[i].PathComponents
		if len(comps) > 1 && comps[0] == name {
			comps = comps[1:]
		}
		p := strings.Join(comps, "/")
		internal[i] = p
		if _, dup := fileMap[p]; !dup {
			fileMap[p] = i
		}
		dir := parentDir(p)
		withFiles[dir] = true
		for d := dir; d != ""; d = parentDir(d) {
			dirs[d] = true
		}
	}
	isLink := func(p string) bool {
		j, ok := fileMap[p]
		return ok && files[j].Symlink
	}

	targets := make(map[int]string, len(links))
	dirLinks := map[string]string{} // links that may stand for a directory
	var unresolved []int
	for _, i := range links {
		t := files[i].SymlinkPath
		targets[i] = t
		if filepath.IsAbs(filepath.FromSlash(t)) {
			targets[i] = internal[i]
			continue
		}
		if _, ok := fileMap[t]; ok {
			if isLink(t) {
				dirLinks[internal[i]] = t
			}
			continue
		}
		if dirs[t] {
			dirLinks[internal[i]] = t
			continue
		}
		// Relative to the link's directory, for older torrents.
		rel := path.Join(parentDir(internal[i]), t)
		if withFiles[rel] || dirs[rel] {
			targets[i] = rel
			dirLinks[internal[i]] = rel
			continue
		}
		if _, ok := fileMap[rel]; ok {
			targets[i] = rel
			if isLink(rel) {
				dirLinks[internal[i]] = rel
			}
			continue
		}
		dirLinks[internal[i]] = t
		unresolved = append(unresolved, i)
	}
	// Targets that go through other links: follow each link at most once.
	for _, i := range unresolved {
		if !resolvesInTorrent(targets[i], dirs, dirLinks, fileMap) {
			targets[i] = internal[i]
		}
	}
	for _, i := range links {
		files[i].SymlinkPath = filepath.Join(name, filepath.FromSlash(targets[i]))
	}
}

// resolvesInTorrent reports whether target, followed through the links in
// dirLinks, ends at a file or directory of the torrent.
func resolvesInTorrent(target string, dirs map[string]bool, dirLinks map[string]string, fileMap map[string]int) bool {
	traversed := map[string]bool{}
restart:
	for k := strings.IndexByte(target, '/'); k >= 0; {
		branch := target[:k]
		if !dirs[branch] {
			link, ok := dirLinks[branch]
			if !ok || traversed[branch] {
				return false
			}
			traversed[branch] = true
			target = link + target[k:]
			goto restart
		}
		next := strings.IndexByte(target[k+1:], '/')
		if next < 0 {
			break
		}
		k += 1 + next
	}
	_, isFile := fileMap[target]
	return isFile || dirs[target]
}

// parentDir is p's directory, "" at the top.
func parentDir(p string) string {
	if k := strings.LastIndexByte(p, '/'); k >= 0 {
		return p[:k]
	}
	return ""
}
