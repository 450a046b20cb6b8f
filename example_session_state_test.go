package actorrent_test

import (
	"context"
	"fmt"

	"github.com/actorrent/actorrent"
)

// A service saves its session's settings when it stops and loads them into
// the next session; libtorrent reads and writes the same bytes. Only what
// differs from the defaults is saved. The loading session keeps its own
// user_agent, as libtorrent's load_state does.
func ExampleSession_SaveState() {
	ctx := context.Background()
	settings := actorrent.DefaultSettings()
	settings.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	settings.SetInt(actorrent.ConnectionsLimit, 50)
	settings.SetStr(actorrent.UserAgent, "old-client/1")
	s, err := actorrent.NewSession(ctx, settings)
	if err != nil {
		fmt.Println(err)
		return
	}
	state, err := s.SaveState(ctx, actorrent.SaveSettings)
	s.Close(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s\n", state)

	fresh := actorrent.DefaultSettings()
	fresh.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	next, err := actorrent.NewSession(ctx, fresh)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer next.Close(ctx)
	res, err := next.LoadState(ctx, state)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("applied:", res.Applied)
	fmt.Println("ignored:", res.Ignored)
	now, _ := next.GetSettings(ctx)
	fmt.Println(now.Int(actorrent.ConnectionsLimit), now.Str(actorrent.UserAgent))
	// Output:
	// d8:settingsd17:connections_limiti50e17:listen_interfaces11:127.0.0.1:010:user_agent12:old-client/1ee
	// applied: [connections_limit listen_interfaces]
	// ignored: ["user_agent": set by the client software, not loaded from a state (as libtorrent)]
	// 50 actorrent/0.1
}
