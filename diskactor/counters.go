package diskactor

import "time"

// timingWindow is how many of the latest jobs of a kind an average time
// covers: enough to smooth one slow job out, few enough that the average
// follows a change of load within a second of seeding or downloading.
const timingWindow = 256

// window is the mean of the last timingWindow samples.
type window struct {
	samples [timingWindow]time.Duration
	n, next int
	sum     time.Duration
}

func (w *window) add(d time.Duration) {
	if w.n == timingWindow {
		w.sum -= w.samples[w.next]
	} else {
		w.n++
	}
	w.samples[w.next] = d
	w.sum += d
	w.next = (w.next + 1) % timingWindow
}

func (w *window) mean() time.Duration {
	if w.n == 0 {
		return 0
	}
	return w.sum / time.Duration(w.n)
}

// jobTiming is what a worker measured of one job, with time.Now around
// the I/O and hashing calls themselves (queueing is not included).
type jobTiming struct {
	read, write, hash, total time.Duration
}

// cacheCounters are the disk's cache_status counters kept as events
// happen; the gauges (sizes, queue lengths) are read off the state when
// asked (handle_cache.go).
type cacheCounters struct {
	read, write, hash, job             window
	cumRead, cumWrite, cumHash, cumJob time.Duration
	peakQueued                         int
	// blocks read from disk for peers, blocks served from the read
	// cache, read jobs, write operations
	blocksRead, blocksReadHit, reads, writes int64
	pinned                                   int // write blocks lent to jobs
	writeBlocks                              int // blocks in the write cache
}

// record adds a finished job's timings: average_read_time covers read jobs
// (cache misses), average_write_time the writes of flushes and completed
// pieces, average_hash_time every hash (incremental, completion with its
// read-back, and checks), average_job_time whole jobs of every kind.
func (c *cacheCounters) record(t jobTiming) {
	if t.read > 0 {
		c.read.add(t.read)
		c.cumRead += t.read
	}
	if t.write > 0 {
		c.write.add(t.write)
		c.cumWrite += t.write
	}
	if t.hash > 0 {
		c.hash.add(t.hash)
		c.cumHash += t.hash
	}
	c.job.add(t.total)
	c.cumJob += t.total
}

// queued notes the length of the job queue after a submit.
func (c *cacheCounters) queued(n int) {
	c.peakQueued = max(c.peakQueued, n)
}
