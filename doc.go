// Package actorrent is a BitTorrent engine for Go programs with
// libtorrent's session API, built as a supervised actor system on
// protoactor-go.
//
// A Session adds torrents, downloads and seeds them, and reports
// everything through alerts and status snapshots:
//
//	ses, err := actorrent.NewSession(ctx, actorrent.DefaultSettings())
//	ti, err := actorrent.LoadTorrentFile("file.torrent")
//	h, err := ses.AddTorrent(ctx, actorrent.AddTorrentParams{TI: ti, SavePath: "/data"})
//	st, err := h.Status(ctx)
//
// Every call that can block takes a context; errors are errors.Is-able
// sentinels; alerts are immutable values. The Session is a thin
// request/response facade over the session actor: it holds no protocol
// logic of its own.
package actorrent
