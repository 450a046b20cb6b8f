// Package queue is the session's auto-manage queue as pure decisions:
// libtorrent's queue positions, its active_downloads / active_seeds /
// active_limit slots, the inactivity filter behind dont_count_slow_torrents
// and the seed rank that lets seeds which met their goals make room.
//
// A Queue belongs to the session actor. The actor reports events (a
// torrent added, removed, moved in the queue, paused or resumed by the
// user, auto-managed or not, its state and its stats), calls Decide when
// Next says and applies what comes back: resume the torrents in Start,
// pause the ones in Pause (gracefully: libtorrent pauses auto-managed
// torrents with graceful_pause) and post torrent_resumed / torrent_paused
// alerts for them. The package has no goroutines and never reads the
// clock: every call that depends on time takes now.
//
// Semantics follow libtorrent 1.1 / 2.0 (session_impl.cpp's
// recalculate_auto_managed_torrents and torrent.cpp), checked against
// python3-libtorrent 2.0.8:
//
//   - A torrent has one paused flag (libtorrent's torrent_flags::paused),
//     set by the user's Pause and by the queue alike. The queue only ever
//     touches auto-managed torrents, and it overrides their flag either
//     way: an auto-managed torrent the user paused is resumed by the next
//     pass if it has a slot, and a queued one the user resumed runs until
//     the next pass queues it again. To hold a torrent paused the user
//     turns auto-management off (SetAutoManaged(id, false)); the flag stays
//     as it is. "Queued" is therefore paused and auto-managed, the
//     convention of libtorrent clients.
//   - Torrents that are not auto-managed count against no limit, not even
//     active_limit.
//   - Checking torrents are left alone: active_checking is the disk
//     actor's checking queue, and in libtorrent checking torrents have
//     their own list and limit that do not touch the others'.
//   - Pausing the session pauses every running torrent without touching
//     its flag, and no pass runs until the session resumes.
package queue
