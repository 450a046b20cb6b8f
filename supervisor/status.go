package supervisor

import "sync/atomic"

// kindCounters are one kind's counters.
type kindCounters struct {
	injected                           atomic.Int64
	failures, restarts, stops, resumes atomic.Int64
	byAction                           [ActionTrackerTimeout + 1]atomic.Int64
}

// KindStatus counts what happened to the actors of one kind.
type KindStatus struct {
	// Injected counts the faults injected (all actions), ByAction by
	// action name ("panic", "disk_error", ...).
	Injected int64
	ByAction map[string]int64
	// Failures counts the failures the supervisor handled, injected or
	// not; Restarts, Stops and Resumes what it decided for them.
	Failures, Restarts, Stops, Resumes int64
}

// Status is a snapshot of a session's supervision counters.
type Status struct {
	Kinds map[Kind]KindStatus
}

// Add adds o's counters to k's.
func (k *KindStatus) Add(o KindStatus) {
	if k.ByAction == nil {
		k.ByAction = map[string]int64{}
	}
	k.Injected += o.Injected
	k.Failures += o.Failures
	k.Restarts += o.Restarts
	k.Stops += o.Stops
	k.Resumes += o.Resumes
	for a, n := range o.ByAction {
		k.ByAction[a] += n
	}
}

// Total sums the counters of every kind.
func (st Status) Total() KindStatus {
	t := KindStatus{ByAction: map[string]int64{}}
	for _, k := range st.Kinds {
		t.Add(k)
	}
	return t
}

// Status returns the counters now.
func (s *Supervision) Status() Status {
	st := Status{Kinds: map[Kind]KindStatus{}}
	if s == nil {
		return st
	}
	for _, k := range Kinds() {
		c := s.counts[k]
		ks := KindStatus{
			Injected: c.injected.Load(), Failures: c.failures.Load(),
			Restarts: c.restarts.Load(), Stops: c.stops.Load(), Resumes: c.resumes.Load(),
			ByAction: map[string]int64{},
		}
		for a := ActionPanic; a <= ActionTrackerTimeout; a++ {
			if n := c.byAction[a].Load(); n > 0 {
				ks.ByAction[a.String()] = n
			}
		}
		st.Kinds[k] = ks
	}
	return st
}
