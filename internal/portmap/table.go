// Package portmap decides the port mappings a session asks of its gateway
// (UPnP IGD and NAT-PMP): which mappings are wanted on which transport,
// when each is made, renewed before its lease ends, retried after a
// failure with a backoff, and deleted. Pure: no I/O, time is a parameter.
// The portmap actor does the talking and reports each result back.
package portmap

import (
	"errors"
	"sort"
	"time"
)

// Protocol is a mapping's transport protocol, numbered as libtorrent's
// protocol_type (udp = 1, tcp = 2).
type Protocol uint8

// The protocols.
const (
	UDP Protocol = 1
	TCP Protocol = 2
)

func (p Protocol) String() string {
	switch p {
	case UDP:
		return "UDP"
	case TCP:
		return "TCP"
	}
	return "none"
}

// Transport is the way a mapping is asked of the gateway, numbered as
// libtorrent's map_type (0 NAT-PMP, 1 UPnP).
type Transport uint8

// The transports.
const (
	NATPMP Transport = 0
	UPnP   Transport = 1
	// numTransports sizes per-transport arrays.
	numTransports = 2
)

func (t Transport) String() string {
	if t == NATPMP {
		return "NAT-PMP"
	}
	return "UPnP"
}

// Mapping is one port forwarded by the gateway: External on the gateway
// to Local on this host.
type Mapping struct {
	Protocol        Protocol
	External, Local uint16
}

// Op is what an Action asks of the gateway.
type Op uint8

// The ops.
const (
	OpAdd    Op = iota // add the mapping, or renew it
	OpDelete           // delete it
)

// Action is one request to a gateway that is due now. Each is answered
// with Done; until then no other action of that mapping and transport is
// given.
type Action struct {
	Index     int
	Transport Transport
	Op        Op
	Mapping   Mapping
	Lease     time.Duration // asked for (OpAdd)
}

// Result is a gateway's answer to an Action.
type Result struct {
	External uint16        // the external port the gateway gave (OpAdd; 0: the one asked)
	Lease    time.Duration // the lease it gave (OpAdd; 0: permanent)
	Err      error
}

// Policy sets the lease asked for and the retry backoff.
type Policy struct {
	// Lease is asked for each mapping; it is renewed at two thirds of
	// the lease the gateway gave.
	Lease time.Duration
	// RetryInitial is the wait after a first failure, doubled with each
	// further one up to RetryMax.
	RetryInitial, RetryMax time.Duration
}

// DefaultPolicy is libtorrent's: an hour's lease (NAT-PMP's recommended
// lifetime), a retry after 5 s doubling up to an hour.
var DefaultPolicy = Policy{Lease: time.Hour, RetryInitial: 5 * time.Second, RetryMax: time.Hour}

// ErrNoMapping: Remove of an index the table does not have.
var ErrNoMapping = errors.New("portmap: no such mapping")

type slotState uint8

const (
	unmapped slotState = iota
	mapped
)

// slot is a mapping's state on one transport.
type slot struct {
	state    slotState
	pending  bool // an Action is out
	external uint16
	renewAt  time.Time // mapped: when to renew (zero: permanent)
	retryAt  time.Time // unmapped: not before
	failures int
}

type entry struct {
	m       Mapping
	removed bool // to be deleted where mapped, then forgotten
	slots   [numTransports]slot
}

// Table is the set of wanted mappings and their state per transport.
type Table struct {
	policy  Policy
	entries map[int]*entry
	active  [numTransports]bool
}

// New returns an empty table with no transport active.
func New(p Policy) *Table {
	return &Table{policy: p, entries: make(map[int]*entry)}
}

// Put wants mapping m under index, a number the caller gives (never one
// it gave before: the portmap alerts name mappings by it). An index the
// table has is left as it is.
func (t *Table) Put(index int, m Mapping) {
	if t.entries[index] == nil {
		t.entries[index] = &entry{m: m}
	}
}

// Remove stops wanting the mapping at index: it is deleted from the
// gateways where it is mapped.
func (t *Table) Remove(index int) error {
	e := t.entries[index]
	if e == nil || e.removed {
		return ErrNoMapping
	}
	e.removed = true
	return nil
}

// Has reports whether index is wanted.
func (t *Table) Has(index int) bool {
	e := t.entries[index]
	return e != nil && !e.removed
}

// SetActive says whether transport tr has a gateway to talk to. Turning
// it off returns the deletes of what is mapped there (the caller sends
// them if it still can; no Done is expected) and forgets the transport's
// state; turning it on maps every wanted mapping at once.
func (t *Table) SetActive(tr Transport, on bool) []Action {
	if t.active[tr] == on {
		return nil
	}
	t.active[tr] = on
	var dels []Action
	for _, i := range t.indices() {
		e := t.entries[i]
		if e.slots[tr].state == mapped {
			dels = append(dels, Action{Index: i, Transport: tr, Op: OpDelete, Mapping: e.m})
		}
		e.slots[tr] = slot{}
	}
	t.prune()
	return dels
}

// Due returns the actions due at now, in index order, marking them out,
// and when the next one falls due (zero: none is scheduled).
func (t *Table) Due(now time.Time) (acts []Action, next time.Time) {
	for _, i := range t.indices() {
		e := t.entries[i]
		for tr := range Transport(numTransports) {
			s := &e.slots[tr]
			if !t.active[tr] || s.pending {
				continue
			}
			var op Op
			var at time.Time
			switch {
			case e.removed && s.state == mapped:
				op = OpDelete
			case e.removed:
				continue
			case s.state == unmapped:
				op, at = OpAdd, s.retryAt
			case !s.renewAt.IsZero():
				op, at = OpAdd, s.renewAt
			default:
				continue // mapped for good
			}
			if now.Before(at) {
				if next.IsZero() || at.Before(next) {
					next = at
				}
				continue
			}
			s.pending = true
			acts = append(acts, Action{Index: i, Transport: tr, Op: op, Mapping: e.m, Lease: t.policy.Lease})
		}
	}
	return acts, next
}

// Done records a gateway's result for an action Due gave.
func (t *Table) Done(a Action, r Result, now time.Time) {
	e := t.find(a)
	if e == nil || !t.active[a.Transport] {
		return // the transport was turned off since
	}
	s := &e.slots[a.Transport]
	s.pending = false
	switch {
	case a.Op == OpDelete:
		s.state = unmapped
	case r.Err != nil:
		s.state, s.external, s.renewAt = unmapped, 0, time.Time{}
		s.failures++
		s.retryAt = now.Add(t.policy.backoff(s.failures))
	default:
		s.state, s.failures, s.retryAt = mapped, 0, time.Time{}
		s.external = r.External
		if s.external == 0 {
			s.external = a.Mapping.External
		}
		s.renewAt = time.Time{}
		if r.Lease > 0 {
			s.renewAt = now.Add(r.Lease * 2 / 3)
		}
	}
	t.prune()
}

// External is the external port of index on tr, when mapped.
func (t *Table) External(index int, tr Transport) (uint16, bool) {
	e := t.entries[index]
	if e == nil || e.removed || e.slots[tr].state != mapped {
		return 0, false
	}
	return e.slots[tr].external, true
}

// Empty reports whether nothing is wanted (removed mappings still being
// deleted do not count).
func (t *Table) Empty() bool {
	for _, e := range t.entries {
		if !e.removed {
			return false
		}
	}
	return true
}

func (p Policy) backoff(failures int) time.Duration {
	d := p.RetryInitial
	for i := 1; i < failures && d < p.RetryMax; i++ {
		d *= 2
	}
	return min(d, p.RetryMax)
}

// find is the entry an action was for.
func (t *Table) find(a Action) *entry {
	if e := t.entries[a.Index]; e != nil && e.m == a.Mapping {
		return e
	}
	return nil
}

// prune forgets removed entries that are mapped nowhere and have nothing
// out.
func (t *Table) prune() {
	for i, e := range t.entries {
		if !e.removed {
			continue
		}
		done := true
		for tr := range Transport(numTransports) {
			s := e.slots[tr]
			if s.pending || (t.active[tr] && s.state == mapped) {
				done = false
			}
		}
		if done {
			delete(t.entries, i)
		}
	}
}

func (t *Table) indices() []int {
	idx := make([]int, 0, len(t.entries))
	for i := range t.entries {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	return idx
}
