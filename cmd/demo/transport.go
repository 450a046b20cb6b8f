package main

import (
	"fmt"

	"github.com/actorrent/actorrent"
)

// addTransportFlag registers -transport on fs (seed and download): which
// transports peers connect over, both ways. both is libtorrent's default
// (uTP tried first, TCP after a failed uTP connect); tcp and utp turn the
// other one's enable_incoming_* and enable_outgoing_* off. A -set of one
// of those settings given after -transport still wins.
func addTransportFlag(fs *flagSet, ss *sessionSettings) {
	fs.Func("transport", "`tcp|utp|both`: the transports peers connect over, in and out (default both: uTP first, then TCP)",
		func(v string) error {
			var tcp, utp bool
			switch v {
			case "tcp":
				tcp = true
			case "utp":
				utp = true
			case "both":
				tcp, utp = true, true
			default:
				return fmt.Errorf("want tcp, utp or both, not %q", v)
			}
			ss.pack.SetBool(actorrent.EnableIncomingTCP, tcp)
			ss.pack.SetBool(actorrent.EnableOutgoingTCP, tcp)
			ss.pack.SetBool(actorrent.EnableIncomingUTP, utp)
			ss.pack.SetBool(actorrent.EnableOutgoingUTP, utp)
			return nil
		})
}
