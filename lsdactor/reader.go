package lsdactor

import (
	"errors"
	"net"
	"time"

	"github.com/actorrent/actorrent/internal/lsd"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// readLoop reads the group's datagrams until the socket is closed and
// sends each announce that parses to the actor. Parsing here keeps
// garbage (anything multicast to the port) out of the actor's mailbox.
func readLoop(conn readConn, root *actor.RootContext, self *actor.PID, sup *supervisor.Supervision) {
	defer supervisor.Recover(root, self, supervisor.SiteReader)
	buf := make([]byte, lsd.MaxPacket+1) // one byte more: a larger datagram is refused, not cut
	for {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // e.g. ICMP errors: the socket is still good; don't spin
			continue
		}
		ann, err := lsd.Parse(buf[:n])
		if err != nil {
			continue
		}
		sup.Inject(supervisor.KindLSD, supervisor.SiteReader, "announce")
		root.Send(self, &heard{from: from, ann: ann})
	}
}
