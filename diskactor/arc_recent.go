package diskactor

// recentFloor bounds what the read cache keeps of pieces read once (ARC's
// MRU list) while ARC's target says recency has not paid: the bytes MRU
// may hold are max(target, recentFloor). An MRU ghost hit (a piece asked
// for again after it was evicted, e.g. a second leecher trailing the
// first) raises target as before, so a swarm that rereads gets its room.
//
// Without the bound, one peer streaming a torrent filled all of cache_size
// (32 MiB by default) with blocks nobody would ask for again, and every
// block then went through cold memory: the worker's pread wrote into a
// buffer last touched 32 MiB earlier, and the copy to the peer and the
// socket write read it back from RAM. Serving a libtorrent downloader 256
// MiB on 127.0.0.1 took 0.60 s of seeder CPU that way against 0.40 s with
// a 4 MiB cache (`-set cache_size=256`), and the transfer ran ~15% faster
// (medians of 4-5 alternated runs on a shared 2-core machine).
//
// 4 MiB holds eight 512 KiB read-ahead lines: the lines read ahead for a
// few peers streaming at once, and the blocks in flight of one peer's
// upload window (peeractor's, at most send_buffer_watermark, 2 MiB).
const recentFloor = 4 << 20

// trimRecent evicts pieces from MRU, least recently used first and never
// keep, until need more bytes fit under its bound.
func (c *arc) trimRecent(need int64, keep *readPiece) {
	limit := max(c.target, recentFloor)
	mru := &c.lists[arcMRU]
	for mru.bytes+need > limit {
		v := mru.tail
		for v != nil && v == keep {
			v = v.prev
		}
		if v == nil {
			return
		}
		c.evict(v)
	}
}
