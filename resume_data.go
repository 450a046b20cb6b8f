package actorrent

import (
	"errors"
	"fmt"

	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/resume"
)

// torrentFromResumeData is the torrent of resume data saved with
// SaveResumeSaveInfoDict (libtorrent's way of adding a torrent from its
// resume file alone). The info dictionary must hash to the recorded
// info-hash.
func torrentFromResumeData(b []byte) (*TorrentInfo, error) {
	d, err := resume.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%w: resume data: %w", ErrInvalidParams, err)
	}
	if len(d.Info) == 0 {
		return nil, fmt.Errorf("%w: TI is nil and the resume data has no info dictionary", ErrInvalidParams)
	}
	m, err := metainfo.FromInfoBytes(d.Info)
	if err != nil {
		return nil, fmt.Errorf("%w: resume data: %w", ErrInvalidParams, err)
	}
	if m.InfoHash != d.InfoHash {
		return nil, fmt.Errorf("%w: resume data: %w", ErrInvalidParams, resume.ErrMismatchingInfoHash)
	}
	m.AnnounceList = d.Trackers
	m.URLList = d.URLList
	return &TorrentInfo{m: m}, nil
}

// ErrInvalidResumeData: bytes given as resume data are not libtorrent
// fast-resume data (see ReadResumeData).
var ErrInvalidResumeData = errors.New("actorrent: invalid resume data")

// ReadResumeData reads a fast-resume file (libtorrent's read_resume_data):
// it checks the format and returns params with ResumeData set, SavePath
// as recorded, and TI when the data holds the info dictionary (else
// InfoHash and Name: the torrent fetches its metadata again, from the
// trackers and peers the data records). Adding the params validates the
// data against the files.
func ReadResumeData(b []byte) (AddTorrentParams, error) {
	d, err := resume.Decode(b)
	if err != nil {
		return AddTorrentParams{}, fmt.Errorf("%w: %w", ErrInvalidResumeData, err)
	}
	p := AddTorrentParams{SavePath: d.SavePath, ResumeData: b}
	if len(d.Info) == 0 {
		// A torrent saved before its metadata came: an info-hash add.
		p.InfoHash, p.Name = d.InfoHash, d.Name
	}
	if len(d.Info) > 0 {
		ti, err := torrentFromResumeData(b)
		if err != nil {
			return AddTorrentParams{}, fmt.Errorf("%w: %w", ErrInvalidResumeData, err)
		}
		p.TI = ti
	}
	return p, nil
}
