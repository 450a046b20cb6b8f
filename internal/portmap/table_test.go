package portmap

import (
	"errors"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

var listenTCP = Mapping{Protocol: TCP, External: 6881, Local: 6881}

func mustDue(t *testing.T, tb *Table, now time.Time, want int) []Action {
	t.Helper()
	acts, _ := tb.Due(now)
	if len(acts) != want {
		t.Fatalf("at %v: %d actions %+v, want %d", now.Sub(t0), len(acts), acts, want)
	}
	return acts
}

func TestNothingIsAskedOfAnInactiveTransport(t *testing.T) {
	tb := New(DefaultPolicy)
	tb.Put(0, listenTCP)
	mustDue(t, tb, t0, 0)
	tb.SetActive(UPnP, true)
	acts := mustDue(t, tb, t0, 1)
	if a := acts[0]; a.Op != OpAdd || a.Transport != UPnP || a.Mapping != listenTCP || a.Lease != time.Hour {
		t.Fatalf("action %+v", a)
	}
	mustDue(t, tb, t0, 0) // out already: not given twice
}

func TestALeaseIsRenewedAtTwoThirds(t *testing.T) {
	tb := New(DefaultPolicy)
	tb.Put(3, listenTCP)
	tb.SetActive(NATPMP, true)
	a := mustDue(t, tb, t0, 1)[0]
	tb.Done(a, Result{External: 7000, Lease: 30 * time.Minute}, t0)
	if ext, ok := tb.External(3, NATPMP); !ok || ext != 7000 {
		t.Fatalf("external %d %v", ext, ok)
	}
	acts, next := tb.Due(t0.Add(19 * time.Minute))
	if len(acts) != 0 || !next.Equal(t0.Add(20*time.Minute)) {
		t.Fatalf("before renewal: %+v next %v", acts, next.Sub(t0))
	}
	if a := mustDue(t, tb, t0.Add(20*time.Minute), 1)[0]; a.Op != OpAdd || a.Index != 3 {
		t.Fatalf("renewal %+v", a)
	}
}

func TestAPermanentMappingIsNotRenewed(t *testing.T) {
	tb := New(DefaultPolicy)
	tb.Put(0, listenTCP)
	tb.SetActive(UPnP, true)
	tb.Done(mustDue(t, tb, t0, 1)[0], Result{}, t0)
	if acts, next := tb.Due(t0.Add(1000 * time.Hour)); len(acts) != 0 || !next.IsZero() {
		t.Fatalf("%+v next %v", acts, next)
	}
	if ext, _ := tb.External(0, UPnP); ext != 6881 {
		t.Fatalf("external %d: the one asked when the gateway says none", ext)
	}
}

func TestAFailureIsRetriedWithABackoff(t *testing.T) {
	p := Policy{Lease: time.Hour, RetryInitial: 5 * time.Second, RetryMax: 30 * time.Second}
	tb := New(p)
	tb.Put(0, listenTCP)
	tb.SetActive(UPnP, true)
	now := t0
	var waits []time.Duration
	for range 5 {
		a := mustDue(t, tb, now, 1)[0]
		tb.Done(a, Result{Err: errors.New("refused")}, now)
		_, next := tb.Due(now)
		waits = append(waits, next.Sub(now))
		now = next
	}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 30 * time.Second, 30 * time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	tb.Done(mustDue(t, tb, now, 1)[0], Result{Lease: time.Hour}, now)
	tb.Remove(0)
	tb.Done(mustDue(t, tb, now, 1)[0], Result{}, now)
	tb.Put(1, listenTCP)
	tb.Done(mustDue(t, tb, now, 1)[0], Result{Err: errors.New("refused")}, now)
	if _, next := tb.Due(now); next.Sub(now) != 5*time.Second {
		t.Fatalf("a new mapping starts its own backoff: %v", next.Sub(now))
	}
}

func TestRemoveDeletesWhereMappedThenForgets(t *testing.T) {
	tb := New(DefaultPolicy)
	tb.Put(0, listenTCP)
	tb.SetActive(UPnP, true)
	tb.SetActive(NATPMP, true)
	for _, a := range mustDue(t, tb, t0, 2) {
		if a.Transport == UPnP {
			tb.Done(a, Result{Lease: time.Hour}, t0)
		} else {
			tb.Done(a, Result{Err: errors.New("no gateway")}, t0)
		}
	}
	if err := tb.Remove(0); err != nil {
		t.Fatal(err)
	}
	if tb.Has(0) || !tb.Empty() {
		t.Fatal("a removed mapping is still wanted")
	}
	a := mustDue(t, tb, t0.Add(time.Hour), 1)[0] // NAT-PMP's retry is not made
	if a.Op != OpDelete || a.Transport != UPnP {
		t.Fatalf("%+v", a)
	}
	tb.Done(a, Result{}, t0)
	if len(tb.entries) != 0 {
		t.Fatalf("entries left: %d", len(tb.entries))
	}
	if err := tb.Remove(0); !errors.Is(err, ErrNoMapping) {
		t.Fatalf("remove again: %v", err)
	}
}

func TestRemovedWhileAddingIsDeletedOnceMapped(t *testing.T) {
	tb := New(DefaultPolicy)
	tb.Put(0, listenTCP)
	tb.SetActive(UPnP, true)
	a := mustDue(t, tb, t0, 1)[0]
	tb.Remove(0)
	mustDue(t, tb, t0, 0)
	tb.Done(a, Result{Lease: time.Hour}, t0)
	if d := mustDue(t, tb, t0, 1)[0]; d.Op != OpDelete {
		t.Fatalf("%+v", d)
	}
}

func TestTurningATransportOffDeletesItsMappings(t *testing.T) {
	tb := New(DefaultPolicy)
	tb.Put(0, listenTCP)
	tb.Put(1, Mapping{Protocol: UDP, External: 6881, Local: 6881})
	tb.SetActive(UPnP, true)
	acts := mustDue(t, tb, t0, 2)
	tb.Done(acts[0], Result{Lease: time.Hour}, t0)
	dels := tb.SetActive(UPnP, false)
	if len(dels) != 1 || dels[0].Op != OpDelete || dels[0].Index != 0 {
		t.Fatalf("deletes %+v", dels)
	}
	tb.Done(acts[1], Result{Lease: time.Hour}, t0) // late: ignored
	mustDue(t, tb, t0, 0)
	tb.SetActive(UPnP, true)
	mustDue(t, tb, t0, 2) // made again
}
