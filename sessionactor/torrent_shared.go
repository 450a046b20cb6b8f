package sessionactor

import (
	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/torrentactor"
	"github.com/asynkron/protoactor-go/actor"
)

// torrentShared is the session's part of every torrent's configuration
// (torrentactor.Shared): one value for all the torrents added while the
// values it holds stay the same, a new one when one changed. Made here,
// at the add, rather than by every path that changes a value: the values
// it depends on are compared at each add (a few words).
func (a *Actor) torrentShared(self *actor.PID) *torrentactor.Shared {
	k := sharedKey{set: a.set, ip: a.filters.ip, port: a.filters.port,
		trkPort: a.trk.port, trkKey: a.trk.key, nLocal: len(a.trk.local), disk: a.disk, alerts: a.alerts, bw: a.bw}
	if a.shared != nil && a.sharedKey == k {
		return a.shared
	}
	a.sharedKey = k
	a.shared = &torrentactor.Shared{
		PeerID:        a.cfg.PeerID,
		Session:       self,
		Disk:          a.disk,
		Alerts:        a.alerts,
		Settings:      a.set,
		Credit:        a.credit,
		ConnectBudget: a.connectBudget,
		Connections:   a.conns,
		UploadSlots:   a.uploadSlots,
		Bandwidth:     a.bw,
		Counters:      a.counters,
		DialUTP:       a.utp.dial,
		Activity:      a.mixed.activity,
		DHTPort:       &a.dht.port,
		IPFilter:      a.filters.ip,
		PortFilter:    a.filters.port,
		Log:           a.log,
		Supervision:   a.cfg.Supervision,
		TrackerBase:   a.trackerConfig(),
	}
	return a.shared
}

// sharedKey are the values of torrentShared's that change while the
// session runs (the others are made once, when it starts).
type sharedKey struct {
	set          *settings.Snapshot
	ip           *ipfilter.IPFilter
	port         *ipfilter.PortFilter
	trkPort      int
	trkKey       uint32
	nLocal       int
	disk, alerts *actor.PID
	bw           *actors.Bandwidth
}
