package tracker

import (
	"fmt"
	"testing"
	"time"
)

func manyURLs(n int) []string {
	urls := make([]string, n)
	for i := range urls {
		urls[i] = fmt.Sprintf("http://t%03d.example/announce", i)
	}
	return urls
}

func TestBudgetPacesFirstContact(t *testing.T) {
	l := NewList([][]string{manyURLs(25)}, Settings{AnnounceToAllTrackers: true}, nil)
	l.Start()
	// A full bucket pays for ten; then one every five seconds.
	if jobs := l.Due(t0); len(jobs) != DefaultAttemptBurst {
		t.Fatalf("first Due: %d jobs, want %d", len(jobs), DefaultAttemptBurst)
	}
	if next := l.Next(t0); !next.Equal(t0.Add(5 * time.Second)) {
		t.Fatalf("Next = %s, want 5s", offset(next))
	}
	if jobs := l.Due(t0.Add(4 * time.Second)); len(jobs) != 0 {
		t.Fatalf("Due before the token: %v", fmtJobs(jobs))
	}
	for i := 1; i <= 15; i++ {
		now := t0.Add(time.Duration(i) * 5 * time.Second)
		if jobs := l.Due(now); len(jobs) != 1 {
			t.Fatalf("Due at %v: %d jobs, want 1", now.Sub(t0), len(jobs))
		}
	}
	if next := l.Next(t0.Add(75 * time.Second)); !next.IsZero() {
		t.Fatalf("everything in flight, yet Next = %s", offset(next))
	}
}

func TestBudgetDoesNotChargeWorkingTrackers(t *testing.T) {
	l := NewList([][]string{manyURLs(25)}, Settings{AnnounceToAllTrackers: true}, nil)
	l.Start()
	now := t0
	answered := 0
	for answered < 25 {
		for _, j := range l.Due(now) {
			l.Succeeded(j.Entry, AnnounceResponse{Interval: 30 * time.Minute}, now)
			answered++
		}
		if answered < 25 {
			now = l.Next(now)
		}
	}
	// Once every tracker works, all 25 re-announce together.
	late := t0.Add(time.Hour)
	if jobs := l.Due(late); len(jobs) != 25 {
		t.Fatalf("re-announce at 1h: %d jobs, want 25", len(jobs))
	}
}

func TestBudgetRefillsToBurstOnly(t *testing.T) {
	b := budget{burst: 3, every: 10 * time.Second}
	for i := 0; i < 3; i++ {
		if at := b.availableAt(t0); !at.Equal(t0) {
			t.Fatalf("token %d not available", i)
		}
		b.take(t0)
	}
	if at := b.availableAt(t0); !at.Equal(t0.Add(10 * time.Second)) {
		t.Fatalf("empty bucket: available at %s", offset(at))
	}
	// A long idle time refills to burst, not beyond.
	later := t0.Add(time.Hour)
	for i := 0; i < 3; i++ {
		b.take(later)
	}
	if at := b.availableAt(later); !at.Equal(later.Add(10 * time.Second)) {
		t.Fatalf("after idle: available at %s", offset(at))
	}
	// Time going backwards mints nothing.
	if at := b.availableAt(t0); !at.After(later) {
		t.Fatalf("backwards clock: available at %s", offset(at))
	}
}
