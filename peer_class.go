package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/messages"
)

// Peer classes, as libtorrent's: every peer belongs to a set of classes,
// chosen when it connects from its IP address (the peer-class filter) and
// its socket type (the type filter). A class limits the sum of its peers'
// rates and weighs them when a limit is shared. The session's
// upload_rate_limit and download_rate_limit are the global class's
// limits; a torrent's own limits (SetUploadLimit) apply on top.
//
// By default every address is in the global class, except local networks,
// link-local and loopback addresses, which are in the local class only, so
// the global limits do not slow a LAN down (ignore_limits_on_local_network).
// To limit every peer, including those on 127.0.0.1, map all addresses to
// the global class:
//
//	f := &actorrent.IPFilter{}
//	global := actorrent.PeerClassMask(actorrent.GlobalPeerClassID)
//	f.AddRule(netip.MustParseAddr("0.0.0.0"), netip.MustParseAddr("255.255.255.255"), global)
//	f.AddRule(netip.IPv6Unspecified(), netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), global)
//	err := s.SetPeerClassFilter(ctx, f)

// PeerClassID names a peer class (libtorrent's peer_class_t).
type PeerClassID uint32

// The built-in classes (libtorrent's session::global_peer_class_id,
// tcp_peer_class_id and local_peer_class_id). They always exist.
const (
	// GlobalPeerClassID: every peer but local ones, by default.
	GlobalPeerClassID = PeerClassID(ratelimit.GlobalClass)
	// TCPPeerClassID: peers over TCP (the type filter adds it).
	TCPPeerClassID = PeerClassID(ratelimit.TCPClass)
	// LocalPeerClassID: peers on local networks and loopback; unlimited,
	// IgnoreUnchokeSlots and ConnectionLimitFactor 150 by default.
	LocalPeerClassID = PeerClassID(ratelimit.LocalClass)
)

// Errors of the peer-class calls.
var (
	// ErrUnknownPeerClass: no class has the ID.
	ErrUnknownPeerClass = ratelimit.ErrUnknownClass
	// ErrBuiltinPeerClass: the built-in classes cannot be deleted.
	ErrBuiltinPeerClass = ratelimit.ErrBuiltinClass
	// ErrTooManyPeerClasses: all 32 class IDs are in use.
	ErrTooManyPeerClasses = ratelimit.ErrTooManyClasses
)

// PeerClassMask is the class mask with the bits of ids set, as the
// filters take it (IDs of 32 and more are ignored).
func PeerClassMask(ids ...PeerClassID) uint32 {
	var m uint32
	for _, id := range ids {
		m |= ratelimit.Mask(ratelimit.ClassID(id))
	}
	return m
}

// PeerClass is what a class is and does (libtorrent's peer_class_info);
// its fields are declared once, by the rate limiter that applies them.
// UploadLimit and DownloadLimit of 0 (or less) are unlimited, 1 to 9
// become 10; priorities are 1 to 255. A peer in a class with
// IgnoreUnchokeSlots is unchoked whenever it is interested and takes none
// of the unchoke_slots_limit slots.
type PeerClass = ratelimit.Class

// CreatePeerClass adds a class (unlimited, priorities 1, factor 100) and
// returns its ID. No peer is in it until a filter puts peers there.
func (s *Session) CreatePeerClass(ctx context.Context, label string) (PeerClassID, error) {
	r, err := s.peerClassRequest(ctx, &messages.CreatePeerClass{Label: label})
	return PeerClassID(r.ID), err
}

// DeletePeerClass removes a class made by CreatePeerClass. Peers already
// in it keep its limits until they disconnect; its ID may be handed out
// again.
func (s *Session) DeletePeerClass(ctx context.Context, id PeerClassID) error {
	_, err := s.peerClassRequest(ctx, &messages.DeletePeerClass{ID: ratelimit.ClassID(id)})
	return err
}

// GetPeerClass returns a class's settings.
func (s *Session) GetPeerClass(ctx context.Context, id PeerClassID) (PeerClass, error) {
	r, err := s.peerClassRequest(ctx, &messages.GetPeerClass{ID: ratelimit.ClassID(id)})
	return r.Class, err
}

// SetPeerClass changes a class's settings; connected peers of the class
// see new limits at once. The session's upload_rate_limit and
// download_rate_limit set the global class's limits again when they
// change.
func (s *Session) SetPeerClass(ctx context.Context, id PeerClassID, c PeerClass) error {
	_, err := s.peerClassRequest(ctx, &messages.SetPeerClass{ID: ratelimit.ClassID(id), Class: c})
	return err
}

func (s *Session) peerClassRequest(ctx context.Context, msg any) (*messages.PeerClassReply, error) {
	r, err := s.request(ctx, msg)
	if err != nil {
		return &messages.PeerClassReply{}, err
	}
	reply := r.(*messages.PeerClassReply)
	return reply, reply.Err
}

// SetPeerClassFilter replaces the peer-class filter (libtorrent's
// set_peer_class_filter): an IPFilter whose flags are class masks (see
// PeerClassMask), each address mapped to the classes its peers join; nil
// or an empty filter puts every address in no class. The session keeps a
// copy. It applies to peers that connect afterwards; connected peers keep
// their classes. Changing ignore_limits_on_local_network resets it to the
// default.
func (s *Session) SetPeerClassFilter(ctx context.Context, f *IPFilter) error {
	c := f.Clone() // nil-safe; nobody else holds c
	_, err := s.request(ctx, &messages.SetPeerClassFilter{Filter: &c.f})
	return err
}

// GetPeerClassFilter returns a copy of the peer-class filter, the
// caller's to change.
func (s *Session) GetPeerClassFilter(ctx context.Context) (*IPFilter, error) {
	r, err := s.request(ctx, &messages.GetPeerClassFilter{})
	if err != nil {
		return nil, err
	}
	return &IPFilter{f: *r.(*messages.PeerClassFilterReply).Filter}, nil
}

// SocketType is a kind of peer connection as the peer-class type filter
// tells them apart (libtorrent's peer_class_type_filter::socket_type_t).
// The engine speaks TCP only so far.
type SocketType int

// The socket types.
const (
	TCPSocket    = SocketType(ratelimit.TCPSocket)
	UTPSocket    = SocketType(ratelimit.UTPSocket)
	SSLTCPSocket = SocketType(ratelimit.SSLTCPSocket)
	SSLUTPSocket = SocketType(ratelimit.SSLUTPSocket)
	I2PSocket    = SocketType(ratelimit.I2PSocket)
)

// PeerClassTypeFilter adjusts a new peer's class mask by its socket type,
// after the peer-class filter (libtorrent's peer_class_type_filter): it
// takes away the classes disallowed for the type, then adds those added
// for it. The zero value changes nothing; the session starts with
// DefaultPeerClassTypeFilter. Filters compare with ==.
type PeerClassTypeFilter struct {
	f ratelimit.TypeFilter
}

// DefaultPeerClassTypeFilter is the session's default: TCP, SSL over TCP
// and I2P peers join the tcp class.
func DefaultPeerClassTypeFilter() PeerClassTypeFilter {
	return PeerClassTypeFilter{f: ratelimit.DefaultTypeFilter()}
}

// Add makes peers of socket type t join class id.
func (f *PeerClassTypeFilter) Add(t SocketType, id PeerClassID) {
	f.f.Add(ratelimit.SocketType(t), ratelimit.ClassID(id))
}

// Remove undoes Add.
func (f *PeerClassTypeFilter) Remove(t SocketType, id PeerClassID) {
	f.f.Remove(ratelimit.SocketType(t), ratelimit.ClassID(id))
}

// Disallow keeps peers of socket type t out of class id, whatever the
// peer-class filter says.
func (f *PeerClassTypeFilter) Disallow(t SocketType, id PeerClassID) {
	f.f.Disallow(ratelimit.SocketType(t), ratelimit.ClassID(id))
}

// Allow undoes Disallow.
func (f *PeerClassTypeFilter) Allow(t SocketType, id PeerClassID) {
	f.f.Allow(ratelimit.SocketType(t), ratelimit.ClassID(id))
}

// Apply returns mask as the filter changes it for socket type t.
func (f PeerClassTypeFilter) Apply(t SocketType, mask uint32) uint32 {
	return f.f.Apply(ratelimit.SocketType(t), mask)
}

// SetPeerClassTypeFilter replaces the type filter (libtorrent's
// set_peer_class_type_filter), for peers that connect afterwards.
func (s *Session) SetPeerClassTypeFilter(ctx context.Context, f PeerClassTypeFilter) error {
	_, err := s.request(ctx, &messages.SetPeerClassTypeFilter{Filter: f.f})
	return err
}

// GetPeerClassTypeFilter returns the type filter.
func (s *Session) GetPeerClassTypeFilter(ctx context.Context) (PeerClassTypeFilter, error) {
	r, err := s.request(ctx, &messages.GetPeerClassTypeFilter{})
	if err != nil {
		return PeerClassTypeFilter{}, err
	}
	return PeerClassTypeFilter{f: r.(*messages.PeerClassTypeFilterReply).Filter}, nil
}
