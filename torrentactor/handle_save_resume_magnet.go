package torrentactor

import (
	"github.com/actorrent/actorrent/internal/resume"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// saveResumeWithoutMetadata is what libtorrent saves for a torrent still
// fetching its metadata: who it is (info-hash, name), where its peers are
// (trackers, known peers), where it goes and its flags and times. There
// are no pieces and no files to record yet. ReadResumeData turns it back
// into an info-hash add.
func (a resumeSaver) saveResumeWithoutMetadata(ctx actor.Context, m *messages.SaveResumeData) {
	switch {
	case a.life.removing:
		a.saveResumeFailed(ctx, messages.ErrTorrentRemoving)
		return
	case m.Flags&messages.SaveResumeOnlyIfModified != 0 && !a.resume.needSave:
		a.saveResumeFailed(ctx, messages.ErrResumeDataNotModified)
		return
	}
	a.resume.needSave = false
	d := &resume.Data{
		InfoHash:        a.ih,
		Name:            a.info.Name,
		SavePath:        a.cfg.SavePath,
		TotalUploaded:   a.resume.prevUpload + a.counters.upload,
		TotalDownloaded: a.resume.prevDownload + a.counters.download,
		AddedTime:       a.added.Unix(),
		NumComplete:     -1, NumIncomplete: -1, NumDownloaded: -1,
		UploadRateLimit: orNone(a.cfg.Limits.UploadLimit), DownloadRateLimit: orNone(a.cfg.Limits.DownloadLimit),
		MaxConnections: orNone(a.cfg.Limits.MaxConnections), MaxUploads: orNone(a.cfg.Limits.MaxUploads),
		Paused:      a.life.paused,
		AutoManaged: a.cfg.Flags&messages.FlagAutoManaged != 0,
		ShareMode:   sharing{a.Actor}.on(),
		Allocation:  allocation(a.cfg.StorageMode),
		Trackers:    a.trackerTiers(),
	}
	d.Peers, d.BannedPeers = peerList{a.Actor}.listedPeers()
	d.ApplyIPFilter = a.flt.apply
	a.postResumeData(ctx, d)
}
