package actors

import (
	"net/netip"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/ratelimit"
)

// PeerChannels are a peer's place in the rate limits, fixed when it
// connects (libtorrent assigns a peer's classes once, in
// set_peer_classes): its class mask and the channels of those classes for
// each direction, in class-id order. The peer appends its torrent's
// channels and passes them to every Acquire.
type PeerChannels struct {
	Mask uint32
	Up   []*ratelimit.Channel
	Down []*ratelimit.Channel
}

// DefaultClassFilter is libtorrent's default peer-class filter
// (init_peer_class_filter): every address in the global class, and with
// unlimitedLocal (ignore_limits_on_local_network, on by default) local
// networks, link-local and loopback addresses in the local class only, so
// that the global limits do not slow a LAN or 127.0.0.1 down.
func DefaultClassFilter(unlimitedLocal bool) *ipfilter.IPFilter {
	var f ipfilter.IPFilter
	for _, r := range ratelimit.DefaultClassRanges(unlimitedLocal) {
		if err := f.AddRule(r.First, r.Last, r.Mask); err != nil {
			panic(err) // the default ranges are valid
		}
	}
	return &f
}

// SetClassFilter replaces the peer-class filter (libtorrent's
// set_peer_class_filter): an address maps to the mask of the classes its
// peers join. The gate keeps a copy. Peers already connected keep their
// classes.
func (b *Bandwidth) SetClassFilter(f *ipfilter.IPFilter) {
	c := f.Clone()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.classFilter = c
}

// ClassFilter returns a copy of the peer-class filter.
func (b *Bandwidth) ClassFilter() *ipfilter.IPFilter {
	b.mu.Lock()
	f := b.classFilter
	b.mu.Unlock()
	return f.Clone() // the gate's is never mutated: copy outside the lock
}

// SetTypeFilter replaces the peer-class type filter (libtorrent's
// set_peer_class_type_filter).
func (b *Bandwidth) SetTypeFilter(f ratelimit.TypeFilter) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.typeFilter = f
}

// TypeFilter returns the peer-class type filter.
func (b *Bandwidth) TypeFilter() ratelimit.TypeFilter {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.typeFilter
}

// ClassMask is the class mask of a new peer at addr over a socket of type
// t: the class filter's for the address, then the type filter applied, as
// libtorrent's set_peer_classes. An address that is not an IP (a
// net.Pipe's, say) is looked up as 0.0.0.0, which is what libtorrent's
// unspecified address gets: the global class by default.
func (b *Bandwidth) ClassMask(addr netip.Addr, t ratelimit.SocketType) uint32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.classMaskLocked(addr, t)
}

func (b *Bandwidth) classMaskLocked(addr netip.Addr, t ratelimit.SocketType) uint32 {
	if !addr.IsValid() {
		addr = netip.IPv4Unspecified()
	}
	return b.typeFilter.Apply(t, b.classFilter.Access(addr))
}

// PeerChannels classifies a new peer at addr over a socket of type t and
// returns its classes' channels, in one step under the gate's lock, so a
// filter or class change cannot fall between the two. A nil gate limits
// nothing: it returns no channels.
func (b *Bandwidth) PeerChannels(addr netip.Addr, t ratelimit.SocketType) PeerChannels {
	if b == nil {
		return PeerChannels{}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	mask := b.classMaskLocked(addr, t)
	return PeerChannels{
		Mask: mask,
		Up:   b.classes.Channels(mask, ratelimit.Upload, nil),
		Down: b.classes.Channels(mask, ratelimit.Download, nil),
	}
}
