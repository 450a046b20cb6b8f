//go:build !linux

package utp

import "net"

const oobSize = 0

// setupUDP sizes the socket buffers with the portable options.
func setupUDP(pc *net.UDPConn, cfg SocketConfig) {
	_ = pc.SetReadBuffer(cfg.ReadBuffer)
	_ = pc.SetWriteBuffer(cfg.WriteBuffer)
}

// kernelDrops: no drop counter outside Linux.
func kernelDrops([]byte) (uint32, bool) { return 0, false }
