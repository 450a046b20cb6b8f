// Package tracker is the pure half of talking to BitTorrent trackers: the
// value types that the HTTP and UDP clients (tracker/httptracker,
// tracker/udptracker) and the torrent actor share, and List, the per-torrent
// announce scheduler (BEP 12 tiers, events, intervals, backoff, a terminal
// "not working" state and an attempt budget).
//
// Nothing here starts a goroutine, does I/O or reads the clock: every method
// that depends on time takes now as a parameter and decisions come back as
// return values ("announce these jobs", "wake me at T"), so the scheduler is
// tested in virtual time by tables of (time, event) steps.
package tracker
