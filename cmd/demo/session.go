package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/actorrent/actorrent"
)

// closeTimeout bounds Session.Close, which also runs after a signal ended
// the command's own context.
const closeTimeout = 10 * time.Second

// alertMask is what the demo listens to: errors, state changes, storage.
const alertMask = actorrent.CategoryError | actorrent.CategoryStatus | actorrent.CategoryStorage

// errListen: the session could not listen where asked.
var errListen = errors.New("cannot listen")

// openSession starts a session listening on listen (host:port, port 0
// picks a free one) and fails if it listens nowhere.
func openSession(ctx context.Context, listen string) (*actorrent.Session, error) {
	return openSessionWith(ctx, listen, alertMask, nil)
}

// openSessionWith is openSession queueing the alerts in mask, with the
// settings the command line asked for (nil: none).
func openSessionWith(ctx context.Context, listen string, mask actorrent.AlertCategory, set *sessionSettings) (*actorrent.Session, error) {
	var sp actorrent.SettingsPack
	sp.SetStr(actorrent.ListenInterfaces, listen)
	sp.SetInt(actorrent.AlertMask, int(mask))
	// LSD only when asked (-lsd): see addLSDFlag.
	sp.SetBool(actorrent.EnableLSD, false)
	// No port mapping either unless asked (-set enable_upnp=true,
	// -set enable_natpmp=true): the demo runs on loopback and on test
	// machines, where asking the network's gateway is not wanted.
	sp.SetBool(actorrent.EnableUPnP, false)
	sp.SetBool(actorrent.EnableNATPMP, false)
	if onLoopback(listen) {
		// Every peer on this machine connects from 127.0.0.1: one
		// connection per IP (libtorrent's default) would leave a seed
		// one downloader. -set allow_multiple_connections_per_ip=false
		// still says otherwise.
		sp.SetBool(actorrent.AllowMultipleConnectionsPerIP, true)
	}
	set.applyTo(&sp)
	s, err := actorrent.NewSession(ctx, sp)
	if err != nil {
		return nil, fmt.Errorf("starting session: %w", err)
	}
	addrs, err := s.ListenAddrs(ctx)
	if err == nil && len(addrs) == 0 {
		err = listenError(ctx, s, listen)
	}
	if err == nil {
		err = set.setIPFilter(ctx, s)
	}
	if err != nil {
		_ = closeSession(s)
		return nil, err
	}
	return s, nil
}

// listenError explains, from the listen_failed alert, why a session
// listens nowhere.
func listenError(ctx context.Context, s *actorrent.Session, listen string) error {
	alerts, err := s.PopAlerts(ctx)
	if err != nil {
		return err
	}
	for _, a := range alerts {
		if lf, ok := a.(actorrent.ListenFailedAlert); ok {
			return fmt.Errorf("%w on %s: %v", errListen, lf.Endpoint, lf.Error)
		}
	}
	return fmt.Errorf("%w on %s", errListen, listen)
}

// closeSession closes s within closeTimeout, whatever state the caller's
// context is in.
func closeSession(s *actorrent.Session) error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		return fmt.Errorf("closing session: %w", err)
	}
	return nil
}

// firstAddr is the session's first listen address.
func firstAddr(ctx context.Context, s *actorrent.Session) (string, error) {
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		return "", err
	}
	if len(addrs) == 0 {
		return "", errListen
	}
	return addrs[0], nil
}

// onLoopback reports whether listen (host:port) is a loopback address.
func onLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
