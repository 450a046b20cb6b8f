package supervisor

// Kind names a kind of actor of the engine. Supervision decisions, fault
// rules and counters are per kind. Every actor kind the engine adds gets a
// Kind here, a strategy in strategyFor and a place in Kinds.
type Kind string

// The actor kinds.
const (
	// KindSession is the session actor: torrent registry, routing.
	KindSession Kind = "session"
	// KindAlert is the alert actor (the queue) and the facade's alert
	// delivery goroutines (SetAlertDispatch, Subscribe).
	KindAlert Kind = "alert"
	// KindTorrent is one torrent's actor.
	KindTorrent Kind = "torrent"
	// KindPeer is one peer connection's actor, with its dial, handshake,
	// reader and writer goroutines.
	KindPeer Kind = "peer"
	// KindDisk is the session's disk actor (queue, fences, caches).
	KindDisk Kind = "disk"
	// KindDiskWorker is one worker of the disk's pool; it runs jobs.
	KindDiskWorker Kind = "disk_worker"
	// KindAnnouncer is one torrent's tracker announcer.
	KindAnnouncer Kind = "tracker_announcer"
	// KindListener is one listen socket with its accept loop.
	KindListener Kind = "listener"
	// KindLSD is the session's local service discovery actor: the
	// multicast socket and its reader goroutine.
	KindLSD Kind = "lsd"
	// KindDHT is the session's DHT node (dhtactor): the anacrolix/dht
	// server, its bootstrap and table maintenance goroutines, the
	// announce schedule.
	KindDHT Kind = "dht"
	// KindDHTLookup is one DHT traversal (get_peers, announce) with the
	// goroutine that runs it.
	KindDHTLookup Kind = "dht_lookup"
	// KindPortmap is the session's port mapper (portmapactor): UPnP and
	// NAT-PMP gateways, with the goroutines that discover and ask them.
	KindPortmap Kind = "portmap"
)

// Kinds lists every actor kind, in a fixed order.
func Kinds() []Kind {
	return []Kind{KindSession, KindAlert, KindTorrent, KindPeer, KindDisk, KindDiskWorker, KindAnnouncer, KindListener, KindLSD, KindDHT, KindDHTLookup, KindPortmap}
}

func (k Kind) valid() bool {
	for _, x := range Kinds() {
		if k == x {
			return true
		}
	}
	return false
}

// Site says where in an actor a fault is injected: in its Receive, or in a
// goroutine it owns.
type Site string

// The sites.
const (
	// SiteReceive is the actor's Receive (the default).
	SiteReceive Site = "receive"
	// SiteDial and SiteHandshake: a peer's outgoing connect (with the
	// handshake exchange), and the handshake sent on an incoming one; the
	// listener's SiteHandshake reads an incoming handshake.
	SiteDial      Site = "dial"
	SiteHandshake Site = "handshake"
	// SiteReader and SiteWriter: a peer's socket reader and writer; the
	// LSD actor's multicast reader is its SiteReader.
	SiteReader Site = "reader"
	SiteWriter Site = "writer"
	// SiteAccept: a listener's accept loop.
	SiteAccept Site = "accept"
	// SiteJob: a disk worker running a job (DiskError rules apply here).
	SiteJob Site = "job"
	// SiteAnnounce and SiteScrape: an announcer's requests to a tracker.
	SiteAnnounce Site = "announce"
	SiteScrape   Site = "scrape"
	// SiteDispatch: a goroutine delivering alerts to the user's function
	// or channel (kind alert).
	SiteDispatch Site = "dispatch"
	// SiteBootstrap: the DHT node's bootstrap goroutine; SiteTraversal: a
	// DHT lookup's traversal goroutine.
	SiteBootstrap Site = "bootstrap"
	SiteTraversal Site = "traversal"
	// SiteDiscover: the port mapper's search for a gateway; SiteMap: a
	// request to a gateway (add, renew or delete a mapping).
	SiteDiscover Site = "discover"
	SiteMap      Site = "map"
)

// sitesOf lists the goroutine sites of each kind (SiteReceive is every
// kind's). The session, torrent and disk actors own no goroutine: their
// sockets belong to listeners, peers and announcers, their file I/O to
// disk workers.
var sitesOf = map[Kind][]Site{
	KindAlert:      {SiteDispatch},
	KindPeer:       {SiteDial, SiteHandshake, SiteReader, SiteWriter},
	KindDiskWorker: {SiteJob},
	KindAnnouncer:  {SiteAnnounce, SiteScrape},
	KindListener:   {SiteAccept, SiteHandshake},
	KindLSD:        {SiteReader},
	KindDHT:        {SiteBootstrap},
	KindDHTLookup:  {SiteTraversal},
	KindPortmap:    {SiteDiscover, SiteMap},
}

// Sites lists the sites of a kind: SiteReceive first, then the goroutines
// it owns.
func Sites(k Kind) []Site {
	return append([]Site{SiteReceive}, sitesOf[k]...)
}

func (k Kind) has(s Site) bool {
	for _, x := range Sites(k) {
		if x == s {
			return true
		}
	}
	return false
}
