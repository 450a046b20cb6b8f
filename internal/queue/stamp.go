package queue

import "time"

// stamp is an instant an entry keeps: nanoseconds since the queue's epoch,
// 0 for none. An entry keeps four instants; as time.Time (24 bytes each)
// they were 64 bytes of every torrent's 216-byte entry more than stamps.
// Differences of stamps keep the monotonic clock's meaning, since the
// epoch is an instant passed in (time.Now in the engine).
type stamp int64

// stampOf returns t as a stamp; the zero time is 0. The first instant
// fixes the epoch an hour before it, so that every later one (and the
// hour before it) is positive.
func (q *Queue[ID]) stampOf(t time.Time) stamp {
	if t.IsZero() {
		return 0
	}
	if q.epoch.IsZero() {
		q.epoch = t.Add(-time.Hour)
	}
	d := stamp(t.Sub(q.epoch))
	if d == 0 {
		d = -1 // an instant exactly at the epoch is not "none" (1 ns off)
	}
	return d
}

// timeOf returns s as a time; 0 is the zero time.
func (q *Queue[ID]) timeOf(s stamp) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return q.epoch.Add(time.Duration(s))
}
