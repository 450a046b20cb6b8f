package utp

// mtuSearch is path-MTU discovery in UDP payload bytes, as libtorrent does
// it: a binary search between a floor known to get through and a ceiling.
// Ordinary packets use the floor; now and then one goes out at the
// midpoint (with DF set by the sender) as a probe. An acked probe raises
// the floor, a lost one lowers the ceiling, and the midpoint moves.
type mtuSearch struct {
	minFloor       int // the configured floor; a restarted search starts halfway up from it
	floor, ceiling int
	mtu            int // the next probe size; the packet size LEDBAT counts in
	probing        bool
	probeSeq       uint16
}

func newMTUSearch(floor, ceiling int) mtuSearch {
	m := mtuSearch{minFloor: floor, floor: floor, ceiling: ceiling}
	if m.floor > m.ceiling {
		m.floor = m.ceiling
	}
	m.update()
	return m
}

// update recomputes the midpoint after the floor or the ceiling moved and
// ends any probe in flight.
func (m *mtuSearch) update() {
	if m.floor > m.ceiling {
		// A probe at the old floor was lost after the search had settled:
		// perhaps by chance, perhaps the path changed. Search again from
		// halfway up the configured range.
		m.ceiling = m.floor
		m.floor = (m.minFloor + m.ceiling) / 2
	}
	m.mtu = (m.floor + m.ceiling) / 2
	m.probing = false
}

// wantProbe: probe only when the search is open and the window holds more
// than three floor-sized packets, so that a probe is surrounded by
// ordinary packets and its loss can be told from congestion.
func (m *mtuSearch) wantProbe(cwnd int) bool {
	return !m.probing && m.mtu > m.floor && cwnd > 3*m.floor
}

func (m *mtuSearch) probeAcked(size int) {
	m.floor = max(m.floor, size)
	m.update()
}

func (m *mtuSearch) probeLost(size int) {
	m.ceiling = size - 1
	m.update()
}
