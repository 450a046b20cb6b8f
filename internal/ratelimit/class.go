package ratelimit

import (
	"errors"
	"time"
)

// ClassID names a peer class. The built-in classes have libtorrent's
// numbers (session::global_peer_class_id, tcp_peer_class_id,
// local_peer_class_id).
type ClassID uint32

const (
	GlobalClass ClassID = 0
	TCPClass    ClassID = 1
	LocalClass  ClassID = 2
)

// MaxClasses bounds the classes in use at once: class filters and the type
// filter are 32-bit masks, one bit per ClassID.
const MaxClasses = 32

// Mask is the class mask with the bits of ids set (ids of 32 and more are
// ignored, as libtorrent's filters ignore them).
func Mask(ids ...ClassID) uint32 {
	var m uint32
	for _, id := range ids {
		if id < MaxClasses {
			m |= 1 << id
		}
	}
	return m
}

var (
	ErrUnknownClass   = errors.New("ratelimit: no such peer class")
	ErrBuiltinClass   = errors.New("ratelimit: built-in peer classes cannot be deleted")
	ErrTooManyClasses = errors.New("ratelimit: all 32 peer classes are in use")
)

// Class is libtorrent's peer_class_info: what a peer class is and does.
type Class struct {
	// Label is for people; libtorrent does not use it.
	Label string
	// UploadLimit and DownloadLimit bound the sum of the class's peers, in
	// bytes per second; 0 is unlimited. Set stores 1..9 as 10, as libtorrent.
	UploadLimit   int64
	DownloadLimit int64
	// UploadPriority and DownloadPriority weigh the class's peers when the
	// bandwidth manager shares a limited channel, 1..255.
	UploadPriority   int
	DownloadPriority int
	// ConnectionLimitFactor scales connections_limit for peers of the
	// class, in percent (see ConnectionLimit).
	ConnectionLimitFactor int
	// IgnoreUnchokeSlots: peers of the class are unchoked regardless of the
	// unchoke slots (local peers, by default).
	IgnoreUnchokeSlots bool
}

type classSlot struct {
	info     Class // limits and priorities live in the channels
	channels [2]Channel
}

// Registry holds the peer classes, each owning its upload and download
// channels. It starts with libtorrent's three built-ins: global, tcp, and
// local (ignore_unchoke_slots, connection_limit_factor 150), all unlimited.
//
// Ids are handed out as libtorrent's peer_class_pool does: the most recently
// freed id first, otherwise the next unused one. libtorrent frees an id when
// the last peer leaves the deleted class; here Delete frees it at once, and
// the peers that were in the class keep its channels (with their last
// limits) until they go, as in libtorrent, while a class created on the
// freed id starts afresh with new channels.
type Registry struct {
	slots [MaxClasses]*classSlot
	free  []ClassID // freed ids, reused last in first out
	end   ClassID   // ids below end have been handed out
}

// NewRegistry returns a registry with the built-in classes.
func NewRegistry() *Registry {
	r := &Registry{}
	for _, label := range []string{"global", "tcp", "local"} {
		if _, err := r.Create(label); err != nil {
			panic(err) // an empty registry has room for three
		}
	}
	local := r.slots[LocalClass]
	local.info.IgnoreUnchokeSlots = true // local peers are always unchoked
	local.info.ConnectionLimitFactor = 150
	return r
}

// Create adds a class with default values (unlimited, priorities 1, factor
// 100) and returns its id.
func (r *Registry) Create(label string) (ClassID, error) {
	var id ClassID
	switch {
	case len(r.free) > 0:
		id = r.free[len(r.free)-1]
		r.free = r.free[:len(r.free)-1]
	case r.end < MaxClasses:
		id = r.end
		r.end++
	default:
		return 0, ErrTooManyClasses
	}
	s := &classSlot{info: Class{Label: label, ConnectionLimitFactor: 100}}
	s.channels[Upload].priority = 1
	s.channels[Download].priority = 1
	r.slots[id] = s
	return id, nil
}

// Delete removes a class created by Create and frees its id.
func (r *Registry) Delete(id ClassID) error {
	if id <= LocalClass {
		return ErrBuiltinClass
	}
	if r.slot(id) == nil {
		return ErrUnknownClass
	}
	r.slots[id] = nil
	r.free = append(r.free, id)
	return nil
}

func (r *Registry) slot(id ClassID) *classSlot {
	if id >= MaxClasses {
		return nil
	}
	return r.slots[id]
}

// Exists reports whether id names a class.
func (r *Registry) Exists(id ClassID) bool { return r.slot(id) != nil }

// Get returns a class's settings.
func (r *Registry) Get(id ClassID) (Class, error) {
	s := r.slot(id)
	if s == nil {
		return Class{}, ErrUnknownClass
	}
	c := s.info
	c.UploadLimit = s.channels[Upload].Limit()
	c.DownloadLimit = s.channels[Download].Limit()
	c.UploadPriority = s.channels[Upload].Priority()
	c.DownloadPriority = s.channels[Download].Priority()
	return c, nil
}

// Set changes a class's settings at now, normalised as libtorrent's
// peer_class::set_info: negative limits mean unlimited, limits of 1..9 bytes
// per second become 10, priorities are clamped to 1..255.
func (r *Registry) Set(id ClassID, c Class, now time.Time) error {
	s := r.slot(id)
	if s == nil {
		return ErrUnknownClass
	}
	s.info = Class{
		Label:                 c.Label,
		ConnectionLimitFactor: c.ConnectionLimitFactor,
		IgnoreUnchokeSlots:    c.IgnoreUnchokeSlots,
	}
	s.channels[Upload].SetLimit(classLimit(c.UploadLimit), now)
	s.channels[Download].SetLimit(classLimit(c.DownloadLimit), now)
	s.channels[Upload].SetPriority(c.UploadPriority)
	s.channels[Download].SetPriority(c.DownloadPriority)
	return nil
}

// SetLimit changes one limit of a class at now (the session's
// upload_rate_limit and download_rate_limit are the global class's),
// normalised as Set does.
func (r *Registry) SetLimit(id ClassID, d Direction, limit int64, now time.Time) error {
	s := r.slot(id)
	if s == nil {
		return ErrUnknownClass
	}
	s.channels[d&1].SetLimit(classLimit(limit), now)
	return nil
}

func classLimit(l int64) int64 {
	if l > 0 && l < 10 {
		return 10
	}
	return l
}

// Channel is a class's channel for direction d, nil for an unknown class.
// It stays the class's channel for the class's whole life.
func (r *Registry) Channel(id ClassID, d Direction) *Channel {
	s := r.slot(id)
	if s == nil {
		return nil
	}
	return &s.channels[d&1]
}

// Channels appends to dst the channels for direction d of the classes in
// mask, in id order, skipping ids that name no class (as libtorrent skips
// them when it assigns classes to a peer).
func (r *Registry) Channels(mask uint32, d Direction, dst []*Channel) []*Channel {
	for id := ClassID(0); mask != 0; id, mask = id+1, mask>>1 {
		if mask&1 != 0 {
			if c := r.Channel(id, d); c != nil {
				dst = append(dst, c)
			}
		}
	}
	return dst
}

// IgnoreUnchokeSlots reports whether any class in mask has
// IgnoreUnchokeSlots: such a peer is always unchoked.
func (r *Registry) IgnoreUnchokeSlots(mask uint32) bool {
	for id := ClassID(0); mask != 0; id, mask = id+1, mask>>1 {
		if s := r.slot(id); mask&1 != 0 && s != nil && s.info.IgnoreUnchokeSlots {
			return true
		}
	}
	return false
}

// ConnectionLimitFactor is the largest connection_limit_factor of the
// classes in mask, 100 when none sets one, as libtorrent computes it for an
// incoming connection.
func (r *Registry) ConnectionLimitFactor(mask uint32) int {
	f := 0
	for id := ClassID(0); mask != 0; id, mask = id+1, mask>>1 {
		if s := r.slot(id); mask&1 != 0 && s != nil {
			f = max(f, s.info.ConnectionLimitFactor)
		}
	}
	if f <= 0 {
		return 100
	}
	return f
}

// ConnectionLimit scales connections_limit by a connection_limit_factor
// (percent): with the local class's 150, local peers may be accepted until
// there are half as many connections again. This is what libtorrent
// documents and its comment on the local class says; its code divides
// instead (limit*100/factor), which would turn local peers away sooner.
func ConnectionLimit(limit, factor int) int {
	if factor <= 0 {
		factor = 100
	}
	return int(int64(limit) * int64(factor) / 100)
}
