package ratelimit

// SocketType is a kind of peer connection as libtorrent's
// peer_class_type_filter tells them apart.
type SocketType uint8

const (
	TCPSocket SocketType = iota
	UTPSocket
	SSLTCPSocket
	SSLUTPSocket
	I2PSocket
	NumSocketTypes
)

func (t SocketType) String() string {
	switch t {
	case TCPSocket:
		return "tcp"
	case UTPSocket:
		return "utp"
	case SSLTCPSocket:
		return "ssl_tcp"
	case SSLUTPSocket:
		return "ssl_utp"
	case I2PSocket:
		return "i2p"
	}
	return "unknown"
}

// TypeFilter is libtorrent's peer_class_type_filter: after the class filter
// has given a new peer a class mask from its IP address, the type filter
// takes away the classes disallowed for the peer's socket type and then adds
// the classes added for it.
//
// The zero value allows every class and adds none (libtorrent's
// default-constructed filter); DefaultTypeFilter is the session's default.
// Filters compare with ==. Socket types and class ids out of range are
// ignored, as libtorrent ignores them.
type TypeFilter struct {
	// disallowed is libtorrent's m_peer_class_type_mask inverted, so that
	// the zero value allows everything.
	disallowed [NumSocketTypes]uint32
	added      [NumSocketTypes]uint32
}

// DefaultTypeFilter is the filter a session starts with: TCP, SSL/TCP and
// I2P connections join the tcp class (uTP ones do not, which is how
// libtorrent's mixed_mode_algorithm throttles TCP against uTP).
func DefaultTypeFilter() TypeFilter {
	var f TypeFilter
	f.Add(TCPSocket, TCPClass)
	f.Add(SSLTCPSocket, TCPClass)
	f.Add(I2PSocket, TCPClass)
	return f
}

func typeBit(t SocketType, id ClassID) (uint32, bool) {
	if t >= NumSocketTypes || id >= MaxClasses {
		return 0, false
	}
	return 1 << id, true
}

// Add makes peers of socket type t join class id.
func (f *TypeFilter) Add(t SocketType, id ClassID) {
	if b, ok := typeBit(t, id); ok {
		f.added[t] |= b
	}
}

// Remove undoes Add.
func (f *TypeFilter) Remove(t SocketType, id ClassID) {
	if b, ok := typeBit(t, id); ok {
		f.added[t] &^= b
	}
}

// Disallow takes class id away from peers of socket type t, whatever the
// class filter gave them.
func (f *TypeFilter) Disallow(t SocketType, id ClassID) {
	if b, ok := typeBit(t, id); ok {
		f.disallowed[t] |= b
	}
}

// Allow undoes Disallow.
func (f *TypeFilter) Allow(t SocketType, id ClassID) {
	if b, ok := typeBit(t, id); ok {
		f.disallowed[t] &^= b
	}
}

// Apply returns mask with the classes disallowed for t removed and then the
// classes added for t set.
func (f TypeFilter) Apply(t SocketType, mask uint32) uint32 {
	if t >= NumSocketTypes {
		return mask
	}
	return mask&^f.disallowed[t] | f.added[t]
}
