package sessionactor

import (
	"testing"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// BenchmarkBlockAlertPosted is what a block alert costs when the mask
// wants it: built, posted to the alert actor, queued (or counted as
// dropped past alert_queue_size) and handed to one subscriber whose
// goroutine takes it. A download under CategoryProgress pays it twice a
// block (block_downloading, block_finished).
func BenchmarkBlockAlertPosted(b *testing.B) {
	sys := actors.NewSystem(nil)
	defer sys.Shutdown()
	alerts := sys.Root.Spawn(NewAlertActor(AlertConfig{Mask: messages.CategoryAll, QueueSize: 1000}))
	ch := make(chan messages.Alert, 256)
	sub := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if m, ok := c.Message().(*messages.PostAlert); ok {
			ch <- m.Alert
		}
	}))
	if _, err := actors.Request(b.Context(), sys.Root, alerts, &messages.SubscribeAlerts{PID: sub, Mask: messages.CategoryProgress}); err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		for range b.N {
			<-ch
		}
		close(done)
	}()
	var ih messages.InfoHash
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		sys.Root.Send(alerts, &messages.PostAlert{Alert: &messages.BlockFinishedAlert{
			PeerAlertHeader: messages.PeerHeader(ih, "127.0.0.1:6881", [20]byte{}), PieceIndex: i >> 6, BlockIndex: i & 63}})
	}
	<-done
}
