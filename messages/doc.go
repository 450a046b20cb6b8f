// Package messages holds the plain data types that actors send each other.
// One file per destination. Commands are imperative (AddTorrent, DiskWrite),
// events past tense (PieceHashed, PeerClosed), replies end in Reply. There is
// no behaviour here beyond trivial accessors; the only non-pure import is
// protoactor's PID, the address type every reply-to field needs.
package messages
