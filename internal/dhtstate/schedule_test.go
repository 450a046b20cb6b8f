package dhtstate

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func ih(b byte) InfoHash { return InfoHash{b} }

func TestScheduleAnnouncesAtOnceThenEveryInterval(t *testing.T) {
	s := NewSchedule(15*time.Minute, 0)
	s.Add(ih(1), t0)
	if due := s.Due(t0); len(due) != 1 || due[0] != ih(1) {
		t.Fatalf("due at add = %v", due)
	}
	if due := s.Due(t0); len(due) != 0 {
		t.Fatalf("a running lookup is due again: %v", due)
	}
	next, ok := s.Done(ih(1), t0.Add(time.Second), true, 3)
	if !ok || !next.Equal(t0.Add(time.Second+15*time.Minute)) {
		t.Fatalf("next after peers = %v %v", next, ok)
	}
	if n, ok := s.Next(t0); !ok || !n.Equal(next) {
		t.Fatalf("Next = %v %v", n, ok)
	}
	if due := s.Due(next.Add(-time.Millisecond)); len(due) != 0 {
		t.Fatalf("due early: %v", due)
	}
	if due := s.Due(next); len(due) != 1 {
		t.Fatalf("not due at its time")
	}
}

func TestScheduleRetriesSoonerWhenNobodyWasFound(t *testing.T) {
	s := NewSchedule(time.Minute, 0)
	s.Add(ih(1), t0)
	now := t0
	var waits []time.Duration
	for range 6 {
		s.Due(now)
		next, _ := s.Done(ih(1), now, false, 0)
		waits = append(waits, next.Sub(now))
		now = next
	}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, time.Minute, time.Minute}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits = %v, want %v", waits, want)
		}
	}
	// Peers found: back to the interval, and the backoff starts over.
	s.Due(now)
	next, _ := s.Done(ih(1), now, true, 1)
	if next.Sub(now) != time.Minute {
		t.Fatalf("after peers: %v", next.Sub(now))
	}
	s.Due(next)
	n2, _ := s.Done(ih(1), next, true, 0)
	if n2.Sub(next) != retryFirst {
		t.Fatalf("backoff did not start over: %v", n2.Sub(next))
	}
}

func TestScheduleLimitsLookupsAtOnce(t *testing.T) {
	s := NewSchedule(time.Minute, 2)
	for b := byte(1); b <= 3; b++ {
		s.Add(ih(b), t0.Add(time.Duration(b)*time.Millisecond))
	}
	now := t0.Add(time.Second)
	due := s.Due(now)
	if len(due) != 2 || due[0] != ih(1) || due[1] != ih(2) {
		t.Fatalf("due = %v, want the two oldest", due)
	}
	if _, ok := s.Next(now); ok {
		t.Fatal("Next reports a lookup the limit holds back")
	}
	s.Done(ih(1), now, true, 1)
	if due := s.Due(now); len(due) != 1 || due[0] != ih(3) {
		t.Fatalf("after one ended: %v", due)
	}
	if s.Running() != 2 {
		t.Fatalf("running = %d", s.Running())
	}
}

func TestScheduleForceAndRemove(t *testing.T) {
	s := NewSchedule(time.Hour, 0)
	if s.Force(ih(9), t0) {
		t.Fatal("forced a torrent not scheduled")
	}
	s.Add(ih(1), t0)
	s.Due(t0)
	s.Done(ih(1), t0, true, 1)
	if !s.Force(ih(1), t0.Add(time.Second)) {
		t.Fatal("force failed")
	}
	if due := s.Due(t0.Add(time.Second)); len(due) != 1 {
		t.Fatal("forced torrent not due")
	}
	// Forced while running: runs again when this lookup ends.
	s.Force(ih(1), t0.Add(2*time.Second))
	next, _ := s.Done(ih(1), t0.Add(3*time.Second), true, 5)
	if !next.Equal(t0.Add(3 * time.Second)) {
		t.Fatalf("forced during a lookup: next %v", next)
	}
	s.Due(next)
	s.Remove(ih(1))
	if s.Running() != 0 || s.Len() != 0 {
		t.Fatalf("after remove: running %d len %d", s.Running(), s.Len())
	}
	if _, ok := s.Done(ih(1), next, true, 1); ok {
		t.Fatal("a removed torrent is scheduled again")
	}
}
