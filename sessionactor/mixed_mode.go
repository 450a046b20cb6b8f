package sessionactor

import (
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/asynkron/protoactor-go/actor"
)

// mixed_mode_algorithm values (libtorrent's bandwidth_mixed_algo_t).
const (
	preferTCP        = 0
	peerProportional = 1
)

// mixedState is mixed_mode_algorithm's: the peers moving data by
// transport (made in New, shared with every peer through the torrents)
// and the session's tick that applies the rule.
type mixedState struct {
	activity *actors.Activity
	stopTick func()
}

// mixedModeTick is the rule's second.
type mixedModeTick struct{}

// mixedMode applies mixed_mode_algorithm to the tcp peer class each
// second, as libtorrent's session tick does (uTP yields to TCP by its
// design, LEDBAT; this is how TCP is kept from starving it): prefer_tcp
// leaves TCP unthrottled (the class's limits reset to 0), peer_proportional
// throttles the tcp class to TCP's share of the session's rate while uTP
// peers move data (ratelimit.MixedModeTCPLimit). rate_limit_utp is
// applyBandwidthSettings'.
type mixedMode struct{ *Actor }

func (a mixedMode) start(ctx actor.Context) {
	a.mixed.stopTick = actors.SendRepeatedly(ctx, time.Second, time.Second, ctx.Self(), &mixedModeTick{})
}

func (a mixedMode) stop() {
	if a.mixed.stopTick != nil {
		a.mixed.stopTick()
		a.mixed.stopTick = nil
	}
}

func (a mixedMode) tick() {
	if a.bw == nil {
		return
	}
	var limit [2]int64 // prefer_tcp: 0, unthrottled
	if a.set.Int(settings.MixedModeAlgorithm) == peerProportional {
		var rate [2]int64
		for _, e := range a.torrents {
			if e.last != nil {
				rate[ratelimit.Upload] += int64(e.last.UploadRate)
				rate[ratelimit.Download] += int64(e.last.DownloadRate)
			}
		}
		for _, d := range []ratelimit.Direction{ratelimit.Upload, ratelimit.Download} {
			limit[d] = ratelimit.MixedModeTCPLimit(rate[d], a.mixed.activity.Count(false, d),
				a.mixed.activity.Count(true, d), ratelimit.MixedModeLowerLimit[d])
		}
	}
	c, err := a.bw.Class(ratelimit.TCPClass)
	if err != nil {
		return
	}
	if c.UploadLimit != limit[ratelimit.Upload] {
		_ = a.bw.SetClassLimit(ratelimit.TCPClass, ratelimit.Upload, limit[ratelimit.Upload])
	}
	if c.DownloadLimit != limit[ratelimit.Download] {
		_ = a.bw.SetClassLimit(ratelimit.TCPClass, ratelimit.Download, limit[ratelimit.Download])
	}
}

// rateLimitUTP applies rate_limit_utp to the class type filter, as
// libtorrent's update_rate_limit_utp: off, uTP peers are kept out of the
// global and local classes (the session's rate limits do not apply to
// them); on, they are allowed back.
func rateLimitUTP(f ratelimit.TypeFilter, on bool) ratelimit.TypeFilter {
	for _, t := range []ratelimit.SocketType{ratelimit.UTPSocket, ratelimit.SSLUTPSocket} {
		for _, c := range []ratelimit.ClassID{ratelimit.GlobalClass, ratelimit.LocalClass} {
			if on {
				f.Allow(t, c)
			} else {
				f.Disallow(t, c)
			}
		}
	}
	return f
}
