package interop

import (
	"context"
	"testing"
	"time"
)

// The probe escapes every byte, as our tracker client does (a space is
// %20, never QueryEscape's '+', which not every tracker decodes).
func TestPercentEncode(t *testing.T) {
	if got := percentEncode([]byte{0x20, 'a', 0xff}); got != "%20%61%FF" {
		t.Fatalf("percentEncode: %s", got)
	}
}

// A tracker of another test on the ports we picked (FreePort's race, two
// packages whitelisting the same hash) is not taken for ours: each
// instance probes with a hash only its own whitelist holds, over HTTP and
// UDP.
func TestOpentrackerReadinessIsOurOwn(t *testing.T) {
	if err := OpentrackerAvailable(); err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	shared := [20]byte{0xac, 0x70, 0x12, 0x34}
	a, err := StartOpentracker(ctx, shared)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Stop()
	if !a.whitelistReady() || !a.udpReady() {
		t.Fatal("the tracker does not pass its own probe")
	}
	other := [20]byte{1, 2, 3}
	impostor := &Opentracker{httpPort: a.httpPort, udpPort: a.udpPort, probe: &other, done: make(chan struct{})}
	if impostor.whitelistReady() || impostor.udpReady() {
		t.Fatal("another instance's tracker passed our probe")
	}
}
