package actorrent

import (
	"fmt"
	"github.com/actorrent/actorrent/internal/resume"
	"strings"

	"github.com/actorrent/actorrent/internal/magnet"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/messages"
)

// MakeMagnetURI returns a magnet link for a torrent (libtorrent's
// make_magnet_uri): its info-hash, name and trackers.
func MakeMagnetURI(ti *TorrentInfo) string {
	m := magnet.Magnet{InfoHash: ti.m.InfoHash, HasV1: true, DisplayName: ti.m.Info.Name}
	seen := map[string]bool{}
	add := func(u string) {
		if u != "" && !seen[u] {
			seen[u] = true
			m.Trackers = append(m.Trackers, u)
		}
	}
	add(ti.m.Announce)
	for _, tier := range ti.m.AnnounceList {
		for _, u := range tier {
			add(u)
		}
	}
	return m.String()
}

// ParseMagnetURI parses a magnet link into the AddTorrentParams it stands
// for (libtorrent's parse_magnet_uri): InfoHash, Name and Trackers, one
// tier per tr in order. Peers (x.pe) are in the second result.
func ParseMagnetURI(uri string) (AddTorrentParams, []string, error) {
	m, err := magnet.Parse(uri)
	if err != nil {
		return AddTorrentParams{}, nil, fmt.Errorf("%w: %w", ErrInvalidParams, err)
	}
	if !m.HasV1 {
		return AddTorrentParams{}, nil, fmt.Errorf("%w: magnet link has no v1 (btih) info-hash", ErrInvalidParams)
	}
	p := AddTorrentParams{InfoHash: m.InfoHash, Name: m.DisplayName}
	for _, tr := range m.Trackers {
		p.Trackers = append(p.Trackers, []string{tr})
	}
	return p, m.Peers, nil
}

// magnetAddMessage is the add of a torrent without its metadata: from a
// magnet link (URL) or a bare InfoHash. ResumeData of the same torrent
// that holds the info dictionary (SaveResumeSaveInfoDict) makes it an add
// with metadata, the magnet's trackers included; other resume data is
// not used (there are no pieces to apply it to yet).
func magnetAddMessage(p AddTorrentParams) (*messages.AddTorrent, error) {
	if p.SavePath == "" {
		return nil, fmt.Errorf("%w: SavePath is empty", ErrInvalidParams)
	}
	ih, name := p.InfoHash, p.Name
	trackers := p.Trackers
	var peers []string
	switch {
	case p.URL != "":
		if !strings.HasPrefix(strings.ToLower(p.URL), "magnet:") {
			return nil, fmt.Errorf("%w: URL %.40q is not a magnet link", ErrInvalidParams, p.URL)
		}
		mp, pe, err := ParseMagnetURI(p.URL)
		if err != nil {
			return nil, err
		}
		ih, peers = mp.InfoHash, pe
		if name == "" {
			name = mp.Name
		}
		trackers = append(append([][]string(nil), trackers...), mp.Trackers...)
	case p.InfoHash == (metainfo.InfoHash{}):
		return nil, fmt.Errorf("%w: no TI, URL nor InfoHash", ErrInvalidParams)
	}
	if len(p.ResumeData) > 0 {
		trackers, peers = resumeTrackersAndPeers(p, ih, trackers, peers)
		if ti, err := torrentFromResumeData(p.ResumeData); err == nil && ti.InfoHash() == ih {
			return &messages.AddTorrent{
				Info: ti.m, SavePath: p.SavePath, Flags: p.Flags, ResumeData: p.ResumeData,
				StorageMode: p.StorageMode, NewStorage: internalConstructor(p.StorageConstructor, p.StorageMode),
				FilePriorities: p.FilePriorities, Trackers: trackers, TrackerID: p.TrackerID, UserData: &p, Limits: p.limits(),
				Peers: peers,
			}, nil
		}
	}
	return &messages.AddTorrent{
		InfoHash: ih, Name: name, Peers: peers, SavePath: p.SavePath, Flags: p.Flags,
		StorageMode: p.StorageMode, NewStorage: internalConstructor(p.StorageConstructor, p.StorageMode),
		FilePriorities: p.FilePriorities, Trackers: trackers, TrackerID: p.TrackerID, UserData: &p, Limits: p.limits(),
	}, nil
}

// resumeTrackersAndPeers applies what resume data of the same torrent
// knows of where its peers are: its trackers replace the add's (or join
// them with FlagMergeResumeTrackers, duplicates skipped) and its peers are
// connected. Other resume data, or none, changes nothing.
func resumeTrackersAndPeers(p AddTorrentParams, ih InfoHash, trackers [][]string, peers []string) ([][]string, []string) {
	d, err := resume.Decode(p.ResumeData)
	if err != nil || d.InfoHash != ih {
		return trackers, peers
	}
	for _, ap := range d.Peers {
		peers = append(peers, ap.String())
	}
	if d.Trackers == nil {
		return trackers, peers
	}
	if p.Flags&FlagMergeResumeTrackers == 0 {
		return d.Trackers, peers
	}
	seen := map[string]bool{}
	for _, tier := range trackers {
		for _, u := range tier {
			seen[u] = true
		}
	}
	merged := append([][]string(nil), trackers...)
	for _, tier := range d.Trackers {
		var add []string
		for _, u := range tier {
			if !seen[u] {
				seen[u] = true
				add = append(add, u)
			}
		}
		if len(add) > 0 {
			merged = append(merged, add)
		}
	}
	return merged, peers
}
