package udprelay

import "sync/atomic"

// DirStats counts what one direction did with the datagrams it was given.
// Every datagram read is, in the end, exactly one of Forwarded, Dropped,
// Overflow or SendErrors, or is still Queued (or was discarded by Close).
type DirStats struct {
	Forwarded  uint64 // sent on
	Dropped    uint64 // lost on purpose (Impairment.Loss)
	Reordered  uint64 // sent after a datagram that arrived later
	Delayed    uint64 // held for a delay or jitter before sending
	Overflow   uint64 // dropped because a bound was reached
	SendErrors uint64 // the socket refused the write
	Queued     int    // in the direction's queues right now
}

// Stats is a snapshot of the relay's counters.
type Stats struct {
	Up   DirStats // client → target
	Down DirStats // target → client
	// Clients is the number of clients with their own upstream socket.
	Clients int
	// RefusedClients counts datagrams from new clients beyond MaxClients,
	// dropped.
	RefusedClients uint64
}

// dirCounters are DirStats as the direction's goroutines update them.
type dirCounters struct {
	forwarded, dropped, reordered, delayed, overflow, sendErrors atomic.Uint64
	queued                                                       atomic.Int64
}

func (c *dirCounters) snapshot() DirStats {
	return DirStats{
		Forwarded:  c.forwarded.Load(),
		Dropped:    c.dropped.Load(),
		Reordered:  c.reordered.Load(),
		Delayed:    c.delayed.Load(),
		Overflow:   c.overflow.Load(),
		SendErrors: c.sendErrors.Load(),
		Queued:     int(c.queued.Load()),
	}
}
