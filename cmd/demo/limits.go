package main

import (
	"context"
	"flag"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/actorrent/actorrent"
)

// rateLimits are the -up-limit and -down-limit flags of seed and download:
// the session's rates in bytes a second, for every peer. A library user
// would set upload_rate_limit and download_rate_limit; those leave peers on
// local networks and loopback unlimited (libtorrent's local class), and the
// demo mostly talks to peers on 127.0.0.1, so it sets the global class's
// limits and puts every address in the global class.
type rateLimits struct {
	up, down int
}

// addLimitFlags registers -up-limit and -down-limit on fs.
func addLimitFlags(fs *flag.FlagSet) *rateLimits {
	l := &rateLimits{}
	fs.Func("up-limit", "upload limit in `BYTES` per second for all peers, loopback ones included (0: none)", rateFlag(&l.up))
	fs.Func("down-limit", "download limit in `BYTES` per second for all peers, loopback ones included (0: none)", rateFlag(&l.down))
	return l
}

// rateFlag parses a rate into dst: a whole number of bytes a second.
func rateFlag(dst *int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("want bytes per second (0 or more), not %q", v)
		}
		*dst = n
		return nil
	}
}

// apply sets the limits in s, before any torrent is added. Without limits
// it changes nothing, so local peers stay unlimited as by default.
func (l *rateLimits) apply(ctx context.Context, s *actorrent.Session) error {
	if l == nil || l.up <= 0 && l.down <= 0 {
		return nil
	}
	f := &actorrent.IPFilter{}
	global := actorrent.PeerClassMask(actorrent.GlobalPeerClassID)
	for _, r := range [][2]string{{"0.0.0.0", "255.255.255.255"}, {"::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}} {
		if err := f.AddRule(netip.MustParseAddr(r[0]), netip.MustParseAddr(r[1]), global); err != nil {
			return fmt.Errorf("rate limits: %w", err)
		}
	}
	if err := s.SetPeerClassFilter(ctx, f); err != nil {
		return fmt.Errorf("rate limits: %w", err)
	}
	c, err := s.GetPeerClass(ctx, actorrent.GlobalPeerClassID)
	if err != nil {
		return fmt.Errorf("rate limits: %w", err)
	}
	c.UploadLimit, c.DownloadLimit = int64(l.up), int64(l.down)
	if err := s.SetPeerClass(ctx, actorrent.GlobalPeerClassID, c); err != nil {
		return fmt.Errorf("rate limits: %w", err)
	}
	return nil
}
