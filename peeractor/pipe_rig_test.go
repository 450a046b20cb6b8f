package peeractor

import (
	"net"
	"testing"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/asynkron/protoactor-go/actor"
)

// pipeRig is a peer actor whose connection is one end of a net.Pipe and
// whose parent a test makes, in a system of its own, run inside a synctest
// bubble: the cleanup lets virtual time run out protoactor's dead-letter
// throttle. in carries the messages the peer writes after its handshake,
// read on a goroutine (net.Pipe writes wait for reads).
type pipeRig struct {
	sys    *actor.ActorSystem
	parent *actor.PID
	remote net.Conn
	sent   wire.Handshake // the peer's handshake, as the remote read it
	in     <-chan wire.Message
}

// startPipeRig spawns the parent mk makes from the pipe's local end, the
// remote's handshake (extension bit set) and our peer id; the parent
// spawns the peer. It returns once the peer's handshake was read.
func startPipeRig(t *testing.T, mk func(local net.Conn, hs *wire.Handshake, ours [20]byte) actor.Actor) pipeRig {
	t.Helper()
	local, remote := net.Pipe()
	var ours, theirs [20]byte
	copy(ours[:], "-TT0000-ours--------")
	copy(theirs[:], "-TT0000-theirs------")
	hs := wire.Handshake{PeerID: theirs}
	hs.Reserved[wire.ReservedExtensionByte] |= wire.ReservedExtensionBit
	sys := actors.NewSystem(nil)
	p := mk(local, &hs, ours)
	parent := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return p }))
	sent, in := remoteSide(t, sys, parent, remote, 64)
	return pipeRig{sys: sys, parent: parent, remote: remote, sent: sent, in: in}
}

// remoteSide is the remote end of a peer's pipe: it reads the peer's
// handshake, then its messages on a goroutine (net.Pipe writes wait for
// reads) into the returned channel, closed with the connection. The
// cleanup closes the pipe, stops the parent and the system, and lets a
// synctest bubble's virtual time run out protoactor's dead-letter
// throttle.
func remoteSide(t *testing.T, sys *actor.ActorSystem, parent *actor.PID, remote net.Conn, buffer int) (wire.Handshake, <-chan wire.Message) {
	t.Helper()
	t.Cleanup(func() {
		remote.Close()
		_ = sys.Root.StopFuture(parent).Wait()
		sys.Shutdown()
		time.Sleep(sys.Config.DeadLetterThrottleInterval + time.Second)
	})
	hs, err := wire.ReadHandshake(remote)
	if err != nil {
		t.Fatal(err)
	}
	in := make(chan wire.Message, buffer)
	go func() {
		r := wire.NewReader(remote)
		for {
			m, err := r.ReadMessage()
			if err != nil {
				close(in)
				return
			}
			in <- m
		}
	}()
	return hs, in
}

// extHandshake reads until the peer's extension handshake and parses it.
func (r pipeRig) extHandshake(t *testing.T) metadata.ExtHandshake {
	t.Helper()
	for m := range r.in {
		if m.ID == wire.Extended && m.ExtendedID == metadata.HandshakeID {
			h, err := metadata.ParseExtHandshake(m.Payload)
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
	}
	t.Fatal("the connection closed before the extension handshake")
	return metadata.ExtHandshake{}
}
