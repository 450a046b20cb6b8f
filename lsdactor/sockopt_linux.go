//go:build linux

package lsdactor

import (
	"context"
	"net"
	"net/netip"
	"syscall"

	"golang.org/x/sys/unix"
)

// listenGroup binds the group's port on every address with SO_REUSEADDR,
// as libtorrent does, so that every client on the host hears the group,
// and joins the group on each interface.
func listenGroup(group netip.AddrPort, ifaces []iface) (*net.UDPConn, error) {
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		return control(c, func(fd int) error { return unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1) })
	}}
	pc, err := lc.ListenPacket(context.Background(), "udp4", netip.AddrPortFrom(netip.IPv4Unspecified(), group.Port()).String())
	if err != nil {
		return nil, err
	}
	conn := pc.(*net.UDPConn)
	raw, err := conn.SyscallConn()
	if err == nil {
		joined := map[int]bool{}
		for _, ifc := range ifaces {
			if joined[ifc.index] {
				continue // one membership an interface
			}
			joined[ifc.index] = true
			mreq := &unix.IPMreqn{Multiaddr: group.Addr().As4(), Address: ifc.addr.As4(), Ifindex: int32(ifc.index)}
			err = control(raw, func(fd int) error { return unix.SetsockoptIPMreqn(fd, unix.IPPROTO_IP, unix.IP_ADD_MEMBERSHIP, mreq) })
			if err != nil {
				break
			}
		}
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// dialGroup opens the socket announces to the group leave by: bound to
// the interface's address (on loopback a packet sent from an unbound
// socket arrives from 0.0.0.0, no address to connect to), the group sent
// to through that interface, TTL 32 and looped back to the host, as
// libtorrent's.
func dialGroup(ifc iface) (*net.UDPConn, error) {
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(ifc.addr, 0)))
	if err != nil {
		return nil, err
	}
	raw, err := conn.SyscallConn()
	if err == nil {
		err = control(raw, func(fd int) error {
			mreq := &unix.IPMreqn{Address: ifc.addr.As4(), Ifindex: int32(ifc.index)}
			if err := unix.SetsockoptIPMreqn(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_IF, mreq); err != nil {
				return err
			}
			if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_TTL, 32); err != nil {
				return err
			}
			return unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_LOOP, 1)
		})
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// control runs f on the socket and returns the first error of either.
func control(c syscall.RawConn, f func(fd int) error) error {
	var ferr error
	if err := c.Control(func(fd uintptr) { ferr = f(int(fd)) }); err != nil {
		return err
	}
	return ferr
}
