package torrentactor

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/messages"
)

func statsAlerts(r *rig) []*messages.StatsAlert {
	r.sink.mu.Lock()
	defer r.sink.mu.Unlock()
	var out []*messages.StatsAlert
	for _, a := range r.sink.alerts {
		if s, ok := a.(*messages.StatsAlert); ok {
			out = append(out, s)
		}
	}
	return out
}

var statsMask = map[string]any{"alert_mask": int(messages.CategoryStats)}

// A torrent with a connected peer posts stats_alert every second while
// the mask has CategoryStats, with the bytes of the second by channel,
// and stops when its last peer is gone.
func TestStatsAlertEverySecondWithPeers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, pid, f := peerListRig(t, Config{Settings: withSettings(statsMask)}, "10.0.0.1:1")
		r.sys.Root.Send(pid, trackerPeers("10.0.0.1:1"))
		synctest.Wait() // connected: the timer starts now
		r.sys.Root.Send(pid, &messages.PeerStats{Key: 1, Download: 1000, PayloadDownload: 800,
			Upload: 16384 + 13, PayloadUpload: 16384, IPOverheadUpload: 480, IPOverheadDownload: 520})
		r.sys.Root.Send(pid, &messages.TrackerTraffic{Upload: 300, Download: 150})
		advance(time.Second)
		got := statsAlerts(r)
		if len(got) != 1 {
			t.Fatalf("%d stats alerts after a second, want 1", len(got))
		}
		var want [messages.NumStatsChannels]int
		want[messages.StatsUploadPayload] = 16384
		want[messages.StatsUploadProtocol] = 13
		want[messages.StatsDownloadPayload] = 800
		want[messages.StatsDownloadProtocol] = 200
		want[messages.StatsUploadIPProtocol] = 480
		want[messages.StatsDownloadIPProtocol] = 520
		want[messages.StatsUploadTrackerProtocol] = 300
		want[messages.StatsDownloadTrackerProtocol] = 150
		if a := got[0]; a.Transferred != want || a.Interval != 1000 || a.InfoHash != r.status(pid).InfoHash {
			t.Fatalf("stats alert %+v, want transferred %v over 1000 ms", a, want)
		}
		advance(3 * time.Second)
		got = statsAlerts(r)
		if len(got) != 4 {
			t.Fatalf("%d stats alerts after 4 s, want 4", len(got))
		}
		if got[3].Transferred != ([messages.NumStatsChannels]int{}) {
			t.Errorf("a quiet second reported %v", got[3].Transferred)
		}
		// The last peer gone (and unreachable since), the timer stops at
		// its next tick.
		f.mu.Lock()
		f.up["10.0.0.1:1"] = false
		f.mu.Unlock()
		r.sys.Root.Send(pid, &messages.PeerClosed{Key: 1, Addr: "10.0.0.1:1"})
		advance(10 * time.Second)
		if n := len(statsAlerts(r)); n > 5 {
			t.Fatalf("%d stats alerts, still ticking without peers", n)
		}
	})
}

// No stats alerts without CategoryStats in the mask, nor from a torrent
// without peers; the mask turned on at runtime starts them.
func TestStatsAlertOnlyWhenWantedAndActive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, _, _ := peerListRig(t, Config{Settings: withSettings(statsMask)})
		advance(5 * time.Second)
		if n := len(statsAlerts(r)); n != 0 {
			t.Fatalf("a torrent without peers posted %d stats alerts", n)
		}
		r2, pid2, _ := peerListRig(t, Config{}, "10.0.0.1:1")
		r2.sys.Root.Send(pid2, trackerPeers("10.0.0.1:1"))
		advance(5 * time.Second)
		if n := len(statsAlerts(r2)); n != 0 {
			t.Fatalf("%d stats alerts under the default mask", n)
		}
		r2.sys.Root.Send(pid2, &messages.SettingsChanged{Settings: withSettings(statsMask)})
		advance(2 * time.Second)
		if n := len(statsAlerts(r2)); n != 2 {
			t.Fatalf("%d stats alerts 2 s after the mask took CategoryStats, want 2", n)
		}
		r2.sys.Root.Send(pid2, &messages.SettingsChanged{Settings: withSettings(nil)})
		synctest.Wait()
		advance(3 * time.Second)
		if n := len(statsAlerts(r2)); n != 2 {
			t.Fatalf("%d stats alerts after CategoryStats left the mask, want still 2", n)
		}
	})
}

// A sample reports the bytes since the one before, per channel, and the
// interval it covers; the next counts from it.
func TestStatsAlertSample(t *testing.T) {
	var s *statsAlertState
	if s.armed() || s.totals(&counters{upload: 5}).protocolUp != 5 {
		t.Fatal("a torrent without stats state: not armed, totals from its counters")
	}
	s = &statsAlertState{}
	c := counters{upload: 100, payloadUpload: 80, download: 1000, payloadDownload: 900}
	cancelled := false
	s.arm(t0, s.totals(&c), func() { cancelled = true })
	c.upload, c.payloadUpload, c.download, c.payloadDownload = 150, 120, 3000, 2800
	s.addIP(7, 9)
	s.addTracker(3, 4)
	al := s.sample(t0.Add(1500*time.Millisecond), messages.InfoHash{}, s.totals(&c))
	tr := al.Transferred
	if al.Interval != 1500 || tr[messages.StatsUploadPayload] != 40 || tr[messages.StatsUploadProtocol] != 10 ||
		tr[messages.StatsDownloadPayload] != 1900 || tr[messages.StatsDownloadProtocol] != 100 ||
		tr[messages.StatsUploadIPProtocol] != 7 || tr[messages.StatsDownloadIPProtocol] != 9 ||
		tr[messages.StatsUploadTrackerProtocol] != 3 || tr[messages.StatsDownloadTrackerProtocol] != 4 {
		t.Fatalf("sample = %d ms %v", al.Interval, tr)
	}
	al = s.sample(t0.Add(2500*time.Millisecond), messages.InfoHash{}, s.totals(&c))
	if al.Interval != 1000 || al.Transferred != ([len(al.Transferred)]int{}) {
		t.Fatalf("second sample with no traffic = %d ms %v", al.Interval, al.Transferred)
	}
	s.stop()
	if !cancelled || s.armed() {
		t.Fatal("stop did not cancel the timer")
	}
}
