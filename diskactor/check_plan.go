package diskactor

import "github.com/actorrent/actorrent/internal/metainfo"

// checkChunkBytes is the size of one check job: a run of consecutive
// pieces read and hashed by one worker. Big enough that handing out jobs
// costs nothing next to hashing them (4 MiB is about 2 ms of SHA-1), small
// enough that the last chunks keep every worker busy, progress moves
// often, and other torrents' jobs wait behind a check for little time.
const checkChunkBytes = 4 << 20

// checkChunk is a run of count consecutive pieces from first.
type checkChunk struct {
	first, count int
}

// planCheck splits the pieces to verify into chunks of consecutive
// pieces, each about checkChunkBytes but at least two pieces, so that big
// pieces can still be hashed two at a time (check_pair.go). verify nil
// means every piece.
func planCheck(info *metainfo.Info, verify []bool) []checkChunk {
	per := max(2, int(checkChunkBytes/max(info.PieceLength, 1)))
	var chunks []checkChunk
	for p := 0; p < info.NumPieces(); p++ {
		if verify != nil && !verify[p] {
			continue
		}
		if n := len(chunks); n > 0 {
			if c := &chunks[n-1]; c.first+c.count == p && c.count < per {
				c.count++
				continue
			}
		}
		chunks = append(chunks, checkChunk{first: p, count: 1})
	}
	return chunks
}
