package messages

import (
	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/ratelimit"
)

// Messages to the session actor about peer classes and their filters
// (libtorrent's create_peer_class, delete_peer_class, get_peer_class,
// set_peer_class, set_peer_class_filter, set_peer_class_type_filter and
// their getters). Each is answered with PeerClassReply,
// PeerClassFilterReply or PeerClassTypeFilterReply.

// CreatePeerClass adds a peer class; the reply has its ID.
type CreatePeerClass struct{ Label string }

// DeletePeerClass removes a class made by CreatePeerClass.
type DeletePeerClass struct{ ID ratelimit.ClassID }

// GetPeerClass asks for a class's settings; the reply has them in Class.
type GetPeerClass struct{ ID ratelimit.ClassID }

// SetPeerClass changes a class's settings.
type SetPeerClass struct {
	ID    ratelimit.ClassID
	Class ratelimit.Class
}

// PeerClassReply answers the peer-class messages.
type PeerClassReply struct {
	ID    ratelimit.ClassID
	Class ratelimit.Class
	Err   error
}

// SetPeerClassFilter replaces the filter that maps addresses to class
// masks. Filter is the sender's copy, which nobody may change afterwards.
type SetPeerClassFilter struct{ Filter *ipfilter.IPFilter }

// GetPeerClassFilter asks for a copy of the class filter.
type GetPeerClassFilter struct{}

// PeerClassFilterReply answers both class-filter messages (Filter is nil
// for the setter).
type PeerClassFilterReply struct{ Filter *ipfilter.IPFilter }

// SetPeerClassTypeFilter replaces the peer-class type filter.
type SetPeerClassTypeFilter struct{ Filter ratelimit.TypeFilter }

// GetPeerClassTypeFilter asks for the type filter.
type GetPeerClassTypeFilter struct{}

// PeerClassTypeFilterReply answers both type-filter messages.
type PeerClassTypeFilterReply struct{ Filter ratelimit.TypeFilter }
