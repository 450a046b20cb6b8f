//go:build !linux

package lsdactor

import (
	"errors"
	"net"
	"net/netip"
)

var errUnsupported = errors.New("lsdactor: local service discovery is implemented on Linux only")

func listenGroup(netip.AddrPort, []iface) (*net.UDPConn, error) { return nil, errUnsupported }

func dialGroup(iface) (*net.UDPConn, error) { return nil, errUnsupported }
