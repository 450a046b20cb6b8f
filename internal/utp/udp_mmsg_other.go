//go:build !linux || !(amd64 || arm64)

package utp

import "net"

// newBatchIO: no batched datagram I/O here; the socket reads and writes
// one datagram per call.
func newBatchIO(*net.UDPConn) batchIO { return nil }
