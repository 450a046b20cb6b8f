package peeractor

// maxUploadsInFlight (actor.go) is how many of a peer's requested blocks are being read or waiting to be
// written at once (serve in handle_upload.go counts them in uploading
// until the writer has handed them to the socket).
//
// The disk reads a miss together with the blocks after it, diskReadLine of
// them (diskactor's readAheadBlocks, libtorrent's read_cache_line_size),
// and answers the blocks of that line together. With the window one line
// long, as it was (32), the two stages never overlapped: a whole line was
// written, then its blockSent reports started the reads of the next line,
// whose blocks came back together again, so the socket ran dry once per
// line while the request went round the peer actor, the disk actor and a
// worker. A strace of `demo seed` serving 256 MiB to a libtorrent
// downloader showed it: 1239 writes, half of them a single block (the
// requester's copy, sent ahead of its line) and the rest whole 32-block
// lines. Four lines let the next reads run while a line is being sent:
// 420 writes of up to 2 MiB for the same transfer.
//
// It bounds the pooled buffers an unchoked peer holds: 2 MiB, which only a
// peer whose socket is full (or who reads slowly while asking for much)
// keeps filled; libtorrent's own bound (send_buffer_watermark) is 500 KB,
// but it has no actor hops between its disk threads and its socket.
const diskReadLine = 32
