//go:build linux

package utp

import (
	"encoding/binary"
	"net"
	"unsafe"

	"golang.org/x/sys/unix"
)

// oobSize holds the SO_RXQ_OVFL control message (a 16-byte cmsghdr and a
// u32, aligned).
const oobSize = 64

// setupUDP sizes the socket buffers and asks the kernel to count drops.
// The *BUFFORCE options pass rmem_max/wmem_max when we are privileged;
// otherwise the plain options give what the limits allow. A socket that
// refuses both keeps its defaults: slower, not broken.
func setupUDP(pc *net.UDPConn, cfg SocketConfig) {
	rc, err := pc.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		if unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, cfg.ReadBuffer) != nil {
			_ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, cfg.ReadBuffer)
		}
		if unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, cfg.WriteBuffer) != nil {
			_ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_SNDBUF, cfg.WriteBuffer)
		}
		_ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RXQ_OVFL, 1)
		// Don't-fragment on every datagram, and no shrinking to a cached
		// path MTU: the Conn's MTU search needs an oversized probe lost,
		// not fragmented, and sends everything else at a size known to
		// pass (Datagram.Probe; libtorrent sets DF on probes only, per
		// send, which costs two system calls a probe). One of the two
		// fails, by the socket's family; that is expected.
		_ = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_MTU_DISCOVER, unix.IP_PMTUDISC_PROBE)
		_ = unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_MTU_DISCOVER, unix.IPV6_PMTUDISC_PROBE)
	})
}

// kernelDrops finds SO_RXQ_OVFL in a datagram's control messages: the
// datagrams the kernel dropped on this socket so far, for want of buffer.
// Parsed by hand because unix.ParseSocketControlMessage allocates.
func kernelDrops(oob []byte) (uint32, bool) {
	for len(oob) >= unix.SizeofCmsghdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
		l := int(h.Len)
		if l < unix.SizeofCmsghdr || l > len(oob) {
			return 0, false
		}
		if h.Level == unix.SOL_SOCKET && h.Type == unix.SO_RXQ_OVFL && l >= unix.SizeofCmsghdr+4 {
			return binary.NativeEndian.Uint32(oob[unix.SizeofCmsghdr:]), true
		}
		next := unix.CmsgSpace(l - unix.SizeofCmsghdr)
		if next > len(oob) {
			return 0, false
		}
		oob = oob[next:]
	}
	return 0, false
}
