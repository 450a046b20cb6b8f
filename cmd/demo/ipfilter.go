package main

import (
	"context"
	"fmt"
	"os"

	"github.com/actorrent/actorrent"
)

// addIPFilterFlag registers -ip-filter on fs (seed and download). The
// blocklist is read as the flag is parsed, so a missing, unreadable or
// formatless file is a usage error naming it, before anything touches the
// network; openSessionWith then sets it on the session, and the demo adds
// its torrents with FlagApplyIPFilter (addWatched), so that no torrent
// connects to a blocked address, accepts one or announces to one.
func addIPFilterFlag(fs *flagSet, ss *sessionSettings) {
	fs.Func("ip-filter", "`FILE`: a blocklist (P2P plaintext, eMule ipfilter.dat or CIDR lines; gzipped or not) "+
		"of addresses not to connect to, accept or announce to",
		func(path string) error {
			f, err := loadIPFilter(path)
			if err != nil {
				return err
			}
			ss.ipFilter = f
			return nil
		})
}

// loadIPFilter reads a blocklist file. One with lines but no range in a
// format we read is an error: the user would otherwise run unprotected
// believing the list applies.
func loadIPFilter(path string) (*actorrent.IPFilter, error) {
	r, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	f := &actorrent.IPFilter{}
	st, err := f.LoadBlocklist(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if st.Rules == 0 && st.Skipped > 0 {
		return nil, fmt.Errorf("%s: no address range in it (%d lines not understood, the first is line %d)", path, st.Skipped, st.FirstSkipped)
	}
	return f, nil
}

// setIPFilter gives the session the -ip-filter list, if there was one.
func (ss *sessionSettings) setIPFilter(ctx context.Context, s *actorrent.Session) error {
	if ss == nil || ss.ipFilter == nil {
		return nil
	}
	if err := s.SetIPFilter(ctx, ss.ipFilter); err != nil {
		return fmt.Errorf("setting the IP filter: %w", err)
	}
	return nil
}
