package peeractor

import (
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/wire"
)

// uploadWindow is how many of a peer's requested blocks are being read or
// waiting to be written at once (serve in handle_upload.go counts them in
// uploading until the writer has handed them to the socket). It follows
// libtorrent's send buffer watermark: the bytes sent to the peer in the
// last second times send_buffer_watermark_factor percent, kept between
// send_buffer_low_watermark and send_buffer_watermark, so a slow peer
// holds few pooled buffers and a fast one enough to keep its socket full.
//
// The disk reads a miss together with the blocks after it, diskReadLine of
// them (diskactor's readAheadBlocks, libtorrent's read_cache_line_size),
// and answers the blocks of that line together. With the window one line
// long, the two stages never overlap: a whole line is written, then its
// blockSent reports start the reads of the next line, whose blocks come
// back together again, so the socket runs dry once per line while the
// request goes round the peer actor, the disk actor and a worker. A strace
// of `demo seed` serving 256 MiB to a libtorrent downloader with a fixed
// one-line window showed it: 1239 writes, half of them a single block (the
// requester's copy, sent ahead of its line) and the rest whole 32-block
// lines. Four lines let the next reads run while a line is being sent: 420
// writes of up to 2 MiB for the same transfer. That is why our defaults
// differ from libtorrent's (whose disk threads write to the socket with no
// actor hops between): the low watermark is one line, so a peer starting
// or trickling overlaps nothing but holds 512 KiB at most, and the upper
// watermark four lines (2 MiB), reached from 4 MiB/s at the default 50%.
type uploadWindow struct {
	blocks     int   // the window: at least one block
	lastSecond int64 // payload bytes sent in the last second
}

// update sets the window from the settings and, when known, the bytes
// sent in the last second (negative: keep the last figure).
func (w *uploadWindow) update(set *settings.Snapshot, lastSecond int64) {
	if lastSecond >= 0 {
		w.lastSecond = lastSecond
	}
	w.blocks = sendWindowBlocks(set, w.lastSecond)
}

// sendWindowBlocks is libtorrent's buffer_size_watermark in 16 KiB blocks
// (rounded up: a watermark under one block still lets one through, as
// libtorrent reads while the buffered bytes are under it).
func sendWindowBlocks(set *settings.Snapshot, lastSecond int64) int {
	bytes := lastSecond * int64(set.Int(settings.SendBufferWatermarkFactor)) / 100
	if low := int64(set.Int(settings.SendBufferLowWatermark)); bytes < low {
		bytes = low
	} else if high := int64(set.Int(settings.SendBufferWatermark)); bytes > high {
		bytes = high
	}
	return max(1, int((bytes+wire.BlockSize-1)/wire.BlockSize))
}

// diskReadLine is the disk's read-ahead line in blocks (see above).
const diskReadLine = 32
