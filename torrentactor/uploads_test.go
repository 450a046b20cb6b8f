package torrentactor

import (
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/actorrent/actorrent/messages"
)

// max_uploads: at most so many interested peers are unchoked, oldest
// first; a slot freed goes to the one waiting; a raised limit unchokes
// more.
func TestMaxUploadsSlots(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		addrs := []string{"10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1"}
		r, pid, f := peerListRig(t, Config{Limits: messages.TorrentLimits{MaxUploads: 1}}, addrs...)
		r.sys.Root.Send(pid, trackerPeers(addrs...))
		synctest.Wait()
		unchoked := func() string {
			f.mu.Lock()
			defer f.mu.Unlock()
			out := ""
			for k := messages.PeerKey(1); k <= 3; k++ {
				out += fmt.Sprint(map[bool]int{true: 1}[f.unchoked[k]])
			}
			return out
		}
		for k := messages.PeerKey(1); k <= 3; k++ {
			r.sys.Root.Send(pid, &messages.PeerInterest{Key: k, Interested: true})
		}
		synctest.Wait()
		if got := unchoked(); got != "100" {
			t.Fatalf("unchoked %s with max_uploads 1, want 100", got)
		}
		r.sys.Root.Send(pid, &messages.PeerInterest{Key: 1, Interested: false})
		synctest.Wait()
		if got := unchoked(); got != "010" {
			t.Fatalf("unchoked %s after the first lost interest, want 010", got)
		}
		r.sys.Root.Send(pid, &messages.SetTorrentLimit{Limit: messages.LimitMaxUploads, Value: 0})
		synctest.Wait()
		if got := unchoked(); got != "011" {
			t.Fatalf("unchoked %s with no limit, want 011", got)
		}
		r.sys.Root.Send(pid, &messages.SetTorrentLimit{Limit: messages.LimitMaxUploads, Value: 1})
		synctest.Wait()
		if got := unchoked(); got != "010" {
			t.Fatalf("unchoked %s after max_uploads went back to 1, want 010 (the oldest kept)", got)
		}
	})
}
