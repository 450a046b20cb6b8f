package utp

import (
	"net/netip"
	"testing"
	"time"
)

// The demux remembers the last connection it found; a connection that
// left the table is never found again, even when a new one takes its key.
func TestOwnerLookupForgetsRemovedConnections(t *testing.T) {
	var o ownerState
	o.init(&Socket{})
	now := time.Now()
	newEntry := func(k connKey) *entry {
		e := &entry{key: k, c: NewInitiator(DefaultConfig(), k.id+1, 1, now), st: &Stream{}, hidx: -1}
		o.conns[k] = e
		return e
	}
	k1 := connKey{netip.MustParseAddrPort("127.0.0.1:6881"), 7}
	k2 := connKey{netip.MustParseAddrPort("127.0.0.1:6882"), 7}
	e1, e2 := newEntry(k1), newEntry(k2)
	for range 2 { // the second time from the cache
		if o.lookup(k1) != e1 || o.lookup(k2) != e2 || o.lookup(k1) != e1 {
			t.Fatal("lookup found the wrong connection")
		}
	}
	o.remove(e1)
	if e := o.lookup(k1); e != nil {
		t.Fatal("lookup found a removed connection")
	}
	e3 := newEntry(k1)
	if o.lookup(k1) != e3 {
		t.Fatal("lookup missed the connection that took a removed one's key")
	}
	o.remove(e3)
	if o.lookup(k1) != nil || o.lookup(k2) != e2 {
		t.Fatal("lookup after a second removal")
	}
}
