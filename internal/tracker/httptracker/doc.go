// Package httptracker is the HTTP(S) tracker client (BEP 3 announces with
// BEP 23 compact and BEP 7 IPv6 peers, BEP 48 scrapes), an I/O primitive:
// each call blocks until the tracker answered, failed or timed out, and the
// caller owns the goroutine it runs on. Everything a tracker sends is
// bounded: body size, header size, silence, total time and redirects.
//
// Parsing is separate and pure (ParseAnnounce, ParseScrape), so fuzzing and
// other transports need no network. Peer lists come back as the tracker sent
// them, our own address included; callers drop it with tracker.FilterPeers.
package httptracker
