package actors

import "sync/atomic"

// DHTPort is the UDP port the session's DHT node answers on, 0 while no
// DHT runs. The dht actor sets it as its node starts and stops; every
// peer reads it when it shakes hands (the BEP 5 reserved bit, and the
// PORT message to a peer that sets it). An atomic: the DHT turns on and
// off at runtime, and a message to every peer would cost more than a
// read per connection.
type DHTPort struct{ port atomic.Int32 }

// Set records the DHT's port (0: none).
func (p *DHTPort) Set(port int) {
	if p != nil {
		p.port.Store(int32(port))
	}
}

// Get is the DHT's port, 0 when there is none (or p is nil).
func (p *DHTPort) Get() int {
	if p == nil {
		return 0
	}
	return int(p.port.Load())
}
