package torrentactor

import (
	"path/filepath"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// storageOps are move_storage and rename_file, and the file paths they leave. A view of the actor,
// not a part of it: the state stays in the actor (1000 of its size class's 1024 bytes), the type
// names the concern's methods.
type storageOps struct{ *Actor }

// MoveStorage and RenameFile go to the disk, which runs them behind the
// torrent's fence; the replies come back as messages (no future: a move
// across file systems may take as long as copying the files).

func (a storageOps) handleMoveStorage(ctx actor.Context, m *messages.MoveStorage) {
	if a.life.removing {
		return
	}
	a.moving = append(a.moving, m.SavePath)
	a.ensureStorage(ctx)
	ctx.Request(a.cfg.Disk, &messages.DiskMoveStorage{InfoHash: a.ih, SavePath: m.SavePath, Flags: m.Flags})
}

func (a storageOps) handleMoveStorageReply(ctx actor.Context, m *messages.DiskMoveStorageReply) {
	var target string
	if len(a.moving) > 0 {
		target, a.moving = a.moving[0], a.moving[1:]
	}
	if m.Err != nil {
		a.post(ctx, &messages.StorageMovedFailedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), SavePath: target, Error: m.Err})
		return
	}
	a.cfg.SavePath = m.SavePath
	a.resume.needSave = true
	a.post(ctx, &messages.StorageMovedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), SavePath: m.SavePath})
}

func (a storageOps) handleRenameFile(ctx actor.Context, m *messages.RenameFile) {
	if a.life.removing {
		return
	}
	a.ensureStorage(ctx)
	ctx.Request(a.cfg.Disk, &messages.DiskRenameFile{InfoHash: a.ih, Index: m.Index, Name: m.Name})
}

func (a storageOps) handleRenameFileReply(ctx actor.Context, m *messages.DiskRenameFileReply) {
	if m.Err != nil {
		a.post(ctx, &messages.FileRenameFailedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Index: m.Index, Error: m.Err})
		return
	}
	if a.renamed == nil {
		a.renamed = map[int]string{}
	}
	a.renamed[m.Index] = m.Name
	a.resume.needSave = true
	a.post(ctx, &messages.FileRenamedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Index: m.Index, Name: m.Name})
}

// mappedFiles is resume data's "mapped_files": the new name of each
// renamed file, "" for the others; nil when none was renamed.
func (a storageOps) mappedFiles() []string {
	if len(a.renamed) == 0 {
		return nil
	}
	out := make([]string, len(a.info.Files))
	for i, name := range a.renamed {
		if i >= 0 && i < len(out) {
			out[i] = filepath.ToSlash(name)
		}
	}
	return out
}

// resumeFilePaths are the file names resume data renamed, checked: a name
// from a file on disk is untrusted, and only a local path (relative,
// inside the save path) is taken. nil when none applies.
func (a storageOps) resumeFilePaths(mapped []string) []string {
	if len(mapped) != len(a.info.Files) {
		return nil // libtorrent 1.0 takes the list only whole
	}
	var out []string
	for i, name := range mapped {
		p := filepath.FromSlash(name)
		if name == "" || !filepath.IsLocal(p) || a.info.Files[i].Pad {
			continue
		}
		if out == nil {
			out = make([]string, len(mapped))
		}
		out[i] = p
		if a.renamed == nil {
			a.renamed = map[int]string{}
		}
		a.renamed[i] = p
	}
	return out
}
