package metadata

// Server answers other peers' ut_metadata requests from the info
// dictionary of a torrent we have. It holds no per-peer state: request
// queues and rate limits belong to the peer connection, as in libtorrent
// (which keeps at most 1024 queued requests a peer and rejects the rest).
type Server struct {
	info []byte
}

// NewServer serves info, the bencoded info dictionary exactly as hashed.
// info is not copied and must not be modified. A nil or empty info (we do
// not have the metadata yet) rejects every request.
func NewServer(info []byte) *Server {
	return &Server{info: info}
}

// Size is the metadata_size to advertise in our extension handshake, or 0
// if we have no metadata (then metadata_size is left out).
func (s *Server) Size() int64 { return int64(len(s.info)) }

// Answer returns the reply to req: a data message with the piece, or a
// reject for a piece we do not have. ok is false if req is not a request
// (data and rejects are not answered).
func (s *Server) Answer(req Message) (reply Message, ok bool) {
	if req.Type != MsgRequest {
		return Message{}, false
	}
	size := s.Size()
	if size == 0 || req.Piece < 0 || req.Piece >= numPieces(size) {
		// libtorrent adds total_size to rejects when it has metadata.
		return Message{Type: MsgReject, Piece: req.Piece, TotalSize: size}, true
	}
	off := int64(req.Piece) * PieceSize
	end := off + int64(pieceLen(size, req.Piece))
	data := s.info[off:end:end] // capped so a caller appending cannot write into info
	return Message{Type: MsgData, Piece: req.Piece, TotalSize: size, Data: data}, true
}
