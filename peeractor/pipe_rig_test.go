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
	t.Cleanup(func() {
		remote.Close()
		_ = sys.Root.StopFuture(parent).Wait()
		sys.Shutdown()
		time.Sleep(sys.Config.DeadLetterThrottleInterval + time.Second)
	})
	if _, err := wire.ReadHandshake(remote); err != nil {
		t.Fatal(err)
	}
	in := make(chan wire.Message, 64)
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
	return pipeRig{sys: sys, parent: parent, remote: remote, in: in}
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
