package actorrent_test

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	"github.com/actorrent/actorrent"
	"github.com/actorrent/actorrent/supervisor"
)

// A fault-injection test of a service that embeds the engine starts its
// session with a plan. Here the session actor fails on its first status
// request, and one disk write in a hundred fails with EIO (torrents then
// go to the error state, and a service would call ClearError): the call
// fails with ErrActorFailed, the session is resumed by its supervisor
// and goes on, and the counters say what happened.
func ExampleWithFaults() {
	plan := supervisor.Plan{Seed: 1, Rules: []supervisor.Rule{
		{Kind: supervisor.KindSession, Message: "GetSessionStatus", Nth: 1, Action: supervisor.ActionPanic},
		{Kind: supervisor.KindDiskWorker, Message: "write", Probability: 0.01,
			Action: supervisor.ActionDiskError, Errno: syscall.EIO},
	}}
	settings := actorrent.DefaultSettings()
	settings.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	ctx := context.Background()
	s, err := actorrent.NewSession(ctx, settings, actorrent.WithFaults(plan))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close(ctx)

	_, err = s.Status(ctx)
	fmt.Println("first status:", errors.Is(err, actorrent.ErrActorFailed))
	_, err = s.Status(ctx)
	fmt.Println("second status:", err)

	st, _ := s.SupervisionStatus(ctx)
	k := st.Kinds[supervisor.KindSession]
	fmt.Printf("session: %d injected, %d failures, %d resumed\n", k.Injected, k.Failures, k.Resumes)
	// Output:
	// first status: true
	// second status: <nil>
	// session: 1 injected, 1 failures, 1 resumed
}
