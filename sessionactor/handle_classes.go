package sessionactor

import (
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Rate limits and peer classes: the session owns the one rate-limit gate
// (actors.Bandwidth) that every peer's reads and writes go through, with
// the peer classes, the class filter and the type filter in it. Torrents
// get it in their Config and hand it to their peers.

// startBandwidth makes the gate and applies the settings it follows.
func (a *Actor) startBandwidth() {
	a.bw = actors.NewBandwidth(tickInterval(a.set))
	a.applyBandwidthSettings(nil)
}

// stopBandwidth lets any peer still waiting for quota go.
func (a *Actor) stopBandwidth() {
	if a.bw != nil {
		a.bw.Close()
	}
}

func tickInterval(s *settings.Snapshot) time.Duration {
	return time.Duration(s.Int(settings.TickInterval)) * time.Millisecond
}

// applyBandwidthSettings applies the settings that changed since old (all
// of them when old is nil, at start), as libtorrent's update_* functions
// do: upload_rate_limit and download_rate_limit are the global class's
// limits, local_upload_rate_limit and local_download_rate_limit
// (deprecated) the local class's, ignore_limits_on_local_network
// (deprecated) resets the class filter to the default with or without
// the local networks in the local class, tick_interval is how often the
// gate hands out quota at the least, and rate_limit_utp (deprecated) keeps
// uTP peers in or out of the global and local classes (mixed_mode.go). Only changed settings are
// applied, so a class set with SetPeerClass keeps its limits until the
// setting itself changes. rate_limit_ip_overhead reaches the peers with
// the settings.
func (a *Actor) applyBandwidthSettings(old *settings.Snapshot) {
	s := a.set
	changed := func(k settings.IntKey) bool { return old == nil || old.Int(k) != s.Int(k) }
	limits := []struct {
		key   settings.IntKey
		class ratelimit.ClassID
		dir   ratelimit.Direction
	}{
		{settings.UploadRateLimit, ratelimit.GlobalClass, ratelimit.Upload},
		{settings.DownloadRateLimit, ratelimit.GlobalClass, ratelimit.Download},
		{settings.LocalUploadRateLimit, ratelimit.LocalClass, ratelimit.Upload},
		{settings.LocalDownloadRateLimit, ratelimit.LocalClass, ratelimit.Download},
	}
	for _, l := range limits {
		if changed(l.key) {
			// Negative means unlimited, as libtorrent stores it as 0;
			// the built-in classes always exist.
			_ = a.bw.SetClassLimit(l.class, l.dir, int64(max(s.Int(l.key), 0)))
		}
	}
	local := s.Bool(settings.IgnoreLimitsOnLocalNetwork)
	if old == nil && !local || old != nil && old.Bool(settings.IgnoreLimitsOnLocalNetwork) != local {
		a.bw.SetClassFilter(actors.DefaultClassFilter(local))
	}
	if changed(settings.TickInterval) {
		a.bw.SetTickInterval(tickInterval(s))
	}
	if on := s.Bool(settings.RateLimitUTP); old == nil && !on || old != nil && old.Bool(settings.RateLimitUTP) != on {
		a.bw.SetTypeFilter(rateLimitUTP(a.bw.TypeFilter(), on))
	}
}

// handlePeerClass answers the peer-class messages.
func (a *Actor) handlePeerClass(ctx actor.Context, msg any) {
	switch m := msg.(type) {
	case *messages.CreatePeerClass:
		id, err := a.bw.CreateClass(m.Label)
		ctx.Respond(&messages.PeerClassReply{ID: id, Err: err})
	case *messages.DeletePeerClass:
		ctx.Respond(&messages.PeerClassReply{ID: m.ID, Err: a.bw.DeleteClass(m.ID)})
	case *messages.GetPeerClass:
		c, err := a.bw.Class(m.ID)
		ctx.Respond(&messages.PeerClassReply{ID: m.ID, Class: c, Err: err})
	case *messages.SetPeerClass:
		ctx.Respond(&messages.PeerClassReply{ID: m.ID, Err: a.bw.SetClass(m.ID, m.Class)})
	case *messages.SetPeerClassFilter:
		a.bw.SetClassFilter(m.Filter)
		ctx.Respond(&messages.PeerClassFilterReply{})
	case *messages.GetPeerClassFilter:
		ctx.Respond(&messages.PeerClassFilterReply{Filter: a.bw.ClassFilter()})
	case *messages.SetPeerClassTypeFilter:
		a.bw.SetTypeFilter(m.Filter)
		ctx.Respond(&messages.PeerClassTypeFilterReply{})
	case *messages.GetPeerClassTypeFilter:
		ctx.Respond(&messages.PeerClassTypeFilterReply{Filter: a.bw.TypeFilter()})
	}
}
