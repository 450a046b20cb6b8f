package actorrent

import (
	"context"
	"io"
	"net/netip"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/messages"
)

// IP and port filters (libtorrent's ip_filter, port_filter and
// session::set_ip_filter). The session holds one of each:
//
//   - The IP filter applies to the torrents added with FlagApplyIPFilter
//     (it is in DefaultAddTorrentFlags, as in libtorrent's default
//     flags; resume data's apply_ip_filter wins unless
//     FlagOverrideResumeData): a blocked peer from a tracker, resume data
//     or ConnectPeer is never connected to (nor kept in the peer list),
//     and an incoming connection from a blocked address is closed after
//     its handshake names the torrent. With the setting
//     apply_ip_filter_to_trackers (on by default) such a torrent does not
//     announce to a tracker whose addresses are all blocked either
//     (tracker_error with ErrBannedByIPFilter).
//   - The port filter applies to every torrent: no connection is made to
//     a peer whose port it blocks (incoming connections come from
//     ephemeral ports and are not filtered).
//   - A filter set while torrents run disconnects the peers it now
//     blocks, and forgets them.
//
// Each refusal posts a PeerBlockedAlert (category CategoryIPBlock) with
// the reason.
//
// Why the flag rather than always: the zero AddTorrentFlags must mean
// something, and libtorrent's bit (apply_ip_filter, 0x10, in resume data
// too) says "apply", so the zero value applies no filter. A torrent that
// must ignore the session's filter (libtorrent's example: an auto-update
// torrent) is added without the flag.

// Access flags of IP and port filters: libtorrent's ip_filter::blocked
// and port_filter::blocked. Other bits are kept and exported but mean
// nothing to the session.
const (
	IPFilterBlocked   uint32 = ipfilter.Blocked
	PortFilterBlocked uint32 = ipfilter.Blocked
)

// FlagApplyIPFilter makes the session's IP filter apply to the torrent
// (libtorrent's torrent_flags::apply_ip_filter).
const FlagApplyIPFilter = messages.FlagApplyIPFilter

// DefaultAddTorrentFlags are libtorrent's add_torrent_params default
// flags: the IP filter applies, and the torrent is auto-managed and
// paused, so the queue starts it when it has a slot (active_downloads,
// active_seeds). The zero AddTorrentFlags differs: a torrent started at
// once, outside the queue, that the IP filter does not apply to.
const DefaultAddTorrentFlags = FlagApplyIPFilter | FlagAutoManaged | FlagPaused

// Errors of the filters.
var (
	// ErrBannedByIPFilter is the peer_disconnected error of a peer a new
	// IP filter blocks, and the tracker_error of a tracker whose
	// addresses are all blocked.
	ErrBannedByIPFilter = messages.ErrBannedByIPFilter
	// ErrBannedByPortFilter is the peer_disconnected error of a peer a
	// new port filter blocks.
	ErrBannedByPortFilter = messages.ErrBannedByPortFilter
	// ErrBadRange: a rule's ends are invalid, of different address
	// families, or in the wrong order.
	ErrBadRange = ipfilter.ErrBadRange
	// ErrBlocklistTooLarge: a blocklist is more than 128 MiB (after
	// decompression).
	ErrBlocklistTooLarge = ipfilter.ErrTooLarge
	// ErrBlocklistTooManyRanges: a blocklist has more than 2^21 ranges.
	ErrBlocklistTooManyRanges = ipfilter.ErrTooManyRules
	// ErrBlocklistUnsupported: the file is an archive or a binary list
	// (zip, 7z, PeerGuardian .p2b), not a list LoadBlocklist reads.
	ErrBlocklistUnsupported = ipfilter.ErrUnsupported
)

// IPRange is an inclusive range of addresses of one family with its
// flags (libtorrent's ip_range).
type IPRange = ipfilter.IPRange

// PortRange is an inclusive range of ports with its flags.
type PortRange = ipfilter.PortRange

// BlocklistStats count what LoadBlocklist read: lines, ranges loaded,
// eMule lines whose level does not block, and malformed lines skipped
// (with the number of the first).
type BlocklistStats = ipfilter.LoadStats

// IPFilter maps every IPv4 and IPv6 address to access flags
// (libtorrent's ip_filter); the last rule added wins where rules overlap.
// The zero value allows everything. Use it through a pointer: a copied
// IPFilter shares its tables with the original. IPv4-mapped IPv6
// addresses are looked up as IPv4.
type IPFilter struct {
	f ipfilter.IPFilter
}

// AddRule gives every address in [first, last] the flags (IPFilterBlocked
// to block), overwriting earlier rules there. It fails with ErrBadRange,
// changing nothing, when an end is invalid, the ends are of different
// families, or first is above last.
func (f *IPFilter) AddRule(first, last netip.Addr, flags uint32) error {
	return f.f.AddRule(first, last, flags)
}

// AddRules adds many ranges at once, as AddRule one after the other would
// but much faster for thousands of ranges; a bad range fails them all
// (ErrBadRange).
func (f *IPFilter) AddRules(ranges []IPRange) error { return f.f.AddRules(ranges) }

// Access returns the flags of addr (0 for an invalid address).
func (f *IPFilter) Access(addr netip.Addr) uint32 {
	if f == nil {
		return 0
	}
	return f.f.Access(addr)
}

// Export returns the filter as the fewest ranges that describe it, in
// ascending order, covering each family exactly once (libtorrent's
// export_filter).
func (f *IPFilter) Export() (v4, v6 []IPRange) {
	if f == nil {
		f = &IPFilter{}
	}
	return f.f.Export()
}

// Empty reports whether every address has flags 0.
func (f *IPFilter) Empty() bool { return f == nil || f.f.Empty() }

// Clone returns a copy that shares nothing with f.
func (f *IPFilter) Clone() *IPFilter {
	if f == nil {
		return &IPFilter{}
	}
	return &IPFilter{f: *f.f.Clone()}
}

// LoadBlocklist blocks the ranges of a blocklist file, in file order.
// Every line may be in any of the formats users have: P2P plaintext
// ("name:1.2.3.4-1.2.3.255"), eMule ipfilter.dat ("1.2.3.4 - 1.2.3.255 ,
// 000 , name"; levels of 128 and above do not block), or a CIDR
// ("1.2.3.0/24"), IPv6 included; the file may be gzipped. Malformed lines
// are skipped and counted in the stats, never fatal. It reads at most 128
// MiB and 2^21 ranges (ErrBlocklistTooLarge, ErrBlocklistTooManyRanges),
// and changes f only when it returns no error. 100k ranges load in well
// under 200 ms (make bench, ipfilter_load_100k).
func (f *IPFilter) LoadBlocklist(r io.Reader) (BlocklistStats, error) {
	return f.f.LoadBlocklist(r, ipfilter.Limits{})
}

// snapshot is an immutable copy for the session (nil when empty: no
// filter to consult).
func (f *IPFilter) snapshot() *ipfilter.IPFilter {
	if f.Empty() {
		return nil
	}
	return f.f.Clone()
}

// PortFilter maps every port to access flags (libtorrent's port_filter),
// with IPFilter's rules. The zero value allows every port.
type PortFilter struct {
	f ipfilter.PortFilter
}

// AddRule gives every port in [first, last] the flags (PortFilterBlocked
// to block), overwriting earlier rules there; ErrBadRange when first is
// above last.
func (f *PortFilter) AddRule(first, last uint16, flags uint32) error {
	return f.f.AddRule(first, last, flags)
}

// Access returns the flags of port.
func (f *PortFilter) Access(port uint16) uint32 {
	if f == nil {
		return 0
	}
	return f.f.Access(port)
}

// Export returns the fewest ranges that describe the filter, in
// ascending order, covering 0-65535 exactly once.
func (f *PortFilter) Export() []PortRange {
	if f == nil {
		f = &PortFilter{}
	}
	return f.f.Export()
}

// Empty reports whether every port has flags 0.
func (f *PortFilter) Empty() bool { return f == nil || f.f.Empty() }

// Clone returns a copy that shares nothing with f.
func (f *PortFilter) Clone() *PortFilter {
	if f == nil {
		return &PortFilter{}
	}
	return &PortFilter{f: *f.f.Clone()}
}

func (f *PortFilter) snapshot() *ipfilter.PortFilter {
	if f.Empty() {
		return nil
	}
	return f.f.Clone()
}

// SetIPFilter makes a copy of f the session's IP filter (nil: none). It
// applies at once: the torrents that apply the filter disconnect and
// forget the peers it blocks. Later changes to f do not reach the
// session; set it again.
func (s *Session) SetIPFilter(ctx context.Context, f *IPFilter) error {
	_, err := s.request(ctx, &messages.SetIPFilter{Filter: f.snapshot()})
	return err
}

// GetIPFilter returns a copy of the session's IP filter, the caller's to
// change.
func (s *Session) GetIPFilter(ctx context.Context) (*IPFilter, error) {
	r, err := s.request(ctx, &messages.GetIPFilter{})
	if err != nil {
		return nil, err
	}
	out := &IPFilter{}
	if f := r.(*messages.GetIPFilterReply).Filter; f != nil {
		out.f = *f.Clone()
	}
	return out, nil
}

// SetPortFilter makes a copy of f the session's port filter (nil: none):
// no torrent connects to a peer on a port it blocks, and peers connected
// on such ports are disconnected.
func (s *Session) SetPortFilter(ctx context.Context, f *PortFilter) error {
	_, err := s.request(ctx, &messages.SetPortFilter{Filter: f.snapshot()})
	return err
}

// GetPortFilter returns a copy of the session's port filter.
func (s *Session) GetPortFilter(ctx context.Context) (*PortFilter, error) {
	r, err := s.request(ctx, &messages.GetPortFilter{})
	if err != nil {
		return nil, err
	}
	out := &PortFilter{}
	if f := r.(*messages.GetPortFilterReply).Filter; f != nil {
		out.f = *f.Clone()
	}
	return out, nil
}
