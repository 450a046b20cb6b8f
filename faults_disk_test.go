package actorrent

import (
	"errors"
	"syscall"
	"testing"

	"github.com/actorrent/actorrent/supervisor"
)

// The disk actor fails on a write: it is resumed with its queue, fences
// and caches; the block is given back and its torrent hears the write
// failed (file_error, error state). The other torrent downloads through
// the same disk, and ClearError finishes the first byte for byte. The disk
// actor owns no goroutine: its file I/O is its workers' (below).
func TestFaultDiskPanicFailsTheWrite(t *testing.T) {
	r := newFaultRig(t, supervisor.Plan{Rules: []supervisor.Rule{
		{Kind: supervisor.KindDisk, Message: "DiskWrite", Nth: 10, Action: supervisor.ActionPanic},
	}})
	ha := r.add(r.a)
	r.connect(ha)
	r.errorIs(ha, ErrActorFailed)
	if al := r.actorFailed(supervisor.KindDisk); al.Directive != "resume" || al.MessageName != "DiskWrite" {
		t.Fatalf("actor_failed = %+v", al)
	}
	hb := r.add(r.b)
	r.connect(hb)
	r.finish(hb, r.b)
	r.clearErrorAndFinish(ha, r.a)
}

// A disk worker that fails on a job (in Receive, or in the job it runs) is
// replaced; the job fails (file_error, ErrDiskJobFailed) and the session
// goes on.
func TestFaultDiskWorkerPanics(t *testing.T) {
	eachFault(t, supervisor.KindDiskWorker, supervisor.ActionPanic, []faultCase{
		{"receive", supervisor.Rule{Message: "write", Nth: 2}},
		{"job", supervisor.Rule{Site: supervisor.SiteJob, Message: "write", Nth: 2}},
	}, func(t *testing.T, r *faultRig) {
		ha := r.add(r.a)
		r.connect(ha)
		r.errorIs(ha, ErrDiskJobFailed)
		if al := r.actorFailed(supervisor.KindDiskWorker); al.Directive != "restart" || al.Restarts != 1 {
			t.Fatalf("actor_failed = %+v", al)
		}
		hb := r.add(r.b)
		r.connect(hb)
		r.finish(hb, r.b)
		r.clearErrorAndFinish(ha, r.a)
	})
}

// Injected disk errors take the paths real ones take: EIO and EACCES put
// the torrent in error, ENOSPC in upload mode; ClearError resumes both.
func TestFaultDiskErrors(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.EIO, syscall.EACCES, syscall.ENOSPC} {
		t.Run(errno.Error(), func(t *testing.T) {
			r := newFaultRig(t, supervisor.Plan{Rules: []supervisor.Rule{
				{Kind: supervisor.KindDiskWorker, Message: "write", Nth: 3, Action: supervisor.ActionDiskError, Errno: errno},
			}})
			ha := r.add(r.a)
			r.connect(ha)
			fe := r.errorIs(ha, errno).(FileErrorAlert)
			if fe.Operation != "write" {
				t.Fatalf("file_error = %+v", fe)
			}
			if errno == syscall.ENOSPC {
				waitFor(r.ctx, t, ha, "upload mode", func(s TorrentStatus) bool { return s.UploadMode })
				if err := ha.ClearError(r.ctx); err != nil {
					t.Fatal(err)
				}
				r.connect(ha)
				r.finish(ha, r.a)
			} else {
				r.clearErrorAndFinish(ha, r.a)
			}
			st, _ := r.leecher.SupervisionStatus(r.ctx)
			if k := st.Kinds[supervisor.KindDiskWorker]; k.ByAction["disk_error"] != 1 || k.Failures != 0 {
				t.Fatalf("disk worker counters %+v", k)
			}
			if !errors.Is(fe.Error, errno) {
				t.Fatalf("file_error %v is not %v", fe.Error, errno)
			}
		})
	}
}
