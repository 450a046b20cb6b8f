package sessionactor

import (
	"net"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// diskStatsTimeout bounds the wait for the disk actor's counters: a disk
// actor stuck in a restart must not hold a scrape up.
const diskStatsTimeout = 5 * time.Second

// handleGetSessionStats answers the metrics once the disk's are in.
func (a *Actor) handleGetSessionStats(ctx actor.Context) {
	a.collectStats(ctx, func(values []int64, at time.Time) {
		ctx.Respond(&messages.SessionStatsReply{Values: values, Time: at})
	})
}

// collectStats snapshots the counter block the actors count on (peers,
// torrents, listeners: each keeps its gauges with inc/dec), then reads
// the disk's counters and gauges off its cache status (the disk actor
// keeps them in its own fields) and calls done, inside this actor.
func (a *Actor) collectStats(ctx actor.Context, done func(values []int64, at time.Time)) {
	values := a.counters.Snapshot()
	// The write credit in use is the bytes received from peers and not yet
	// on disk: what libtorrent counts in queued_write_bytes (and compares
	// with max_queued_disk_bytes, as the credit's limit does).
	values[stats.DiskQueuedWriteBytes] = a.credit.Used()
	fillUTPStats(values, a.utp.status())
	fillDHTStats(values, a.dht.probe.Metrics())
	if a.disk == nil {
		done(values, time.Now())
		return
	}
	f := ctx.RequestFuture(a.disk, &messages.DiskCacheInfo{NoPieces: true}, diskStatsTimeout)
	ctx.ReenterAfter(f, func(res any, err error) {
		if r, ok := res.(*messages.CacheStatus); ok && err == nil {
			fillDiskStats(values, r)
		}
		done(values, time.Now())
	})
}

// fillDiskStats maps the disk's cache status onto libtorrent's disk.*
// metrics (libtorrent's cache_status is read off the same counters).
func fillDiskStats(v []int64, r *messages.CacheStatus) {
	us := func(d time.Duration) int64 { return d.Microseconds() }
	set := map[stats.Index]int64{
		stats.DiskWriteCacheBlocks:   int64(r.WriteCacheSize),
		stats.DiskReadCacheBlocks:    int64(r.ReadCacheSize),
		stats.DiskPinnedBlocks:       int64(r.PinnedBlocks),
		stats.DiskDiskBlocksInUse:    int64(r.TotalUsedBuffers),
		stats.DiskQueuedDiskJobs:     int64(r.QueuedJobs),
		stats.DiskNumRunningDiskJobs: int64(r.PendingJobs),
		stats.DiskNumReadJobs:        int64(r.NumReadJobs),
		stats.DiskNumWriteJobs:       int64(r.NumWriteJobs),
		stats.DiskNumJobs:            int64(r.NumJobs),
		stats.DiskBlockedDiskJobs:    int64(r.BlockedJobs),
		stats.DiskNumWritingThreads:  int64(r.NumWritingThreads),
		stats.DiskARCMRUSize:         int64(r.ArcMRUSize),
		stats.DiskARCMRUGhostSize:    int64(r.ArcMRUGhostSize),
		stats.DiskARCMFUSize:         int64(r.ArcMFUSize),
		stats.DiskARCMFUGhostSize:    int64(r.ArcMFUGhostSize),
		stats.DiskARCWriteSize:       int64(r.ArcWriteSize),
		stats.DiskARCVolatileSize:    int64(r.ArcVolatileSize),
		stats.DiskNumBlocksWritten:   r.BlocksWritten,
		stats.DiskNumBlocksRead:      r.BlocksRead,
		stats.DiskNumBlocksCacheHits: r.BlocksReadHit,
		stats.DiskNumWriteOps:        r.Writes,
		stats.DiskNumReadOps:         r.Reads,
		stats.DiskNumReadBack:        r.TotalReadBack,
		stats.DiskDiskReadTime:       us(r.CumulativeReadTime),
		stats.DiskDiskWriteTime:      us(r.CumulativeWriteTime),
		stats.DiskDiskHashTime:       us(r.CumulativeHashTime),
		stats.DiskDiskJobTime:        us(r.CumulativeJobTime),
	}
	for i, x := range set {
		v[i] = x
	}
}

// countIncoming counts an accepted connection (libtorrent counts it on
// accept, before the handshake), and notes one from a non-local address:
// local ones (loopback, private, link-local) say nothing of whether a
// router lets peers in.
func countIncoming(c *stats.Counters, remote net.Addr) {
	c.Inc(stats.PeerIncomingConnections)
	ap, err := netip.ParseAddrPort(remote.String()) // TCP or UDP (uTP)
	if err != nil {
		return
	}
	ip := ap.Addr().Unmap()
	if !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() {
		c.Set(stats.NetHasIncomingConnections, 1)
	}
}

// handlePostSessionStats posts session_stats with the values, then
// answers: the alert is queued by the time the caller hears back.
func (a *Actor) handlePostSessionStats(ctx actor.Context) {
	a.collectStats(ctx, func(values []int64, at time.Time) {
		a.post(ctx, &messages.SessionStatsAlert{AlertHeader: messages.AlertHeader{At: at}, Values: values})
		ctx.Respond(&messages.Ack{})
	})
}
