package lsd

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// run steps the schedule from its own wake-ups until end and records
// every send, as the actor's timer would.
func run(s *Schedule, from, end time.Time) map[InfoHash][]time.Duration {
	sent := map[InfoHash][]time.Duration{}
	now := from
	for i := 0; i < 100000; i++ {
		due, wake := s.Due(now)
		for _, h := range due {
			sent[h] = append(sent[h], now.Sub(t0))
		}
		if wake.IsZero() || wake.After(end) {
			break
		}
		if !wake.After(now) {
			panic("the schedule asks to be woken in the past")
		}
		now = wake
	}
	return sent
}

func TestScheduleAnnouncesAtStartWithResends(t *testing.T) {
	s := NewSchedule(-1)
	s.Add(ih(1), t0)
	sent := run(s, t0, t0.Add(10*time.Second))
	want := []time.Duration{0, 2 * time.Second, 6 * time.Second}
	if got := sent[ih(1)]; !equal(got, want) {
		t.Errorf("sends %v, want %v", got, want)
	}
}

// Every torrent is announced once per interval (plus its resends),
// however many there are: the round spaces them interval/n apart.
func TestScheduleRoundCoversEveryTorrentOncePerInterval(t *testing.T) {
	s := NewSchedule(5 * time.Minute)
	for i := 1; i <= 10; i++ {
		s.Add(ih(byte(i)), t0)
	}
	sent := run(s, t0, t0.Add(time.Hour-time.Second))
	for i := 1; i <= 10; i++ {
		got := sent[ih(byte(i))]
		// 3 sends at start, then 3 per round announce: 12 rounds in an hour.
		if len(got) < 3*12 || len(got) > 3*13 {
			t.Errorf("torrent %d sent %d times in an hour: %v", i, len(got), got)
		}
	}
	// With 10 torrents the round announces one every 30 s.
	s2 := NewSchedule(5 * time.Minute)
	for i := 1; i <= 10; i++ {
		s2.Add(ih(byte(i)), t0)
	}
	s2.Due(t0)
	if _, wake := s2.Due(t0.Add(6 * time.Second)); wake != t0.Add(30*time.Second) {
		t.Errorf("the round's next announce at %v", wake.Sub(t0))
	}
}

// Many torrents do not make the round faster than one a second.
func TestScheduleRoundAtMostOneASecond(t *testing.T) {
	s := NewSchedule(time.Second)
	for i := 1; i <= 50; i++ {
		s.Add(ih(byte(i)), t0)
	}
	sent := run(s, t0, t0.Add(17*time.Second))
	// In [7 s, 17 s) the start's sends are over: a round announce a
	// second, each sent three times, is 30 sends (interval/n would be
	// 20 ms: 1500).
	n := 0
	for _, at := range sent {
		for _, d := range at {
			if d >= 7*time.Second && d < 17*time.Second {
				n++
			}
		}
	}
	if n < 27 || n > 33 {
		t.Errorf("%d sends in 10 s, want about 30", n)
	}
}

func TestScheduleRemove(t *testing.T) {
	s := NewSchedule(10 * time.Second)
	s.Add(ih(1), t0)
	s.Add(ih(2), t0)
	s.Due(t0)
	s.Remove(ih(1))
	s.Remove(ih(9)) // not there: nothing
	sent := run(s, t0.Add(time.Second), t0.Add(time.Minute))
	if len(sent[ih(1)]) != 0 {
		t.Errorf("a removed torrent was sent: %v", sent[ih(1)])
	}
	if len(sent[ih(2)]) == 0 {
		t.Error("the other torrent was not sent")
	}
	s.Remove(ih(2))
	if due, wake := s.Due(t0.Add(2 * time.Minute)); len(due) != 0 || !wake.IsZero() {
		t.Errorf("empty schedule: %v, wake %v", due, wake)
	}
	s.Add(ih(1), t0) // added twice: one member
	s.Add(ih(1), t0)
	if s.Len() != 1 {
		t.Errorf("Len %d", s.Len())
	}
}

func equal(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
