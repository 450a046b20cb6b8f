package lsdactor

import (
	"fmt"
	"net"
	"net/netip"
)

// iface is one IPv4 interface address LSD runs on: the group is joined on
// the interface, announces leave from the address, and peers are taken
// only from its network (as libtorrent's listen address and netmask).
type iface struct {
	index int
	addr  netip.Addr
	net   netip.Prefix
	// port is the TCP listen port announced from this address.
	port uint16
}

// interfacesFor finds the interfaces of the listen addresses: an address
// names its own; 0.0.0.0 names every interface that is up and can
// multicast (loopback included). IPv6 listen addresses are left out (LSD
// on IPv6 is not done yet).
func interfacesFor(listen []netip.AddrPort) ([]iface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var out []iface
	seen := map[netip.Addr]bool{}
	for _, l := range listen {
		if !l.Addr().Unmap().Is4() {
			continue
		}
		want := l.Addr().Unmap()
		for _, ni := range ifs {
			if ni.Flags&net.FlagUp == 0 || (want.IsUnspecified() && ni.Flags&(net.FlagMulticast|net.FlagLoopback) == 0) {
				continue
			}
			addrs, err := ni.Addrs()
			if err != nil {
				continue
			}
			for _, a := range addrs {
				ipn, ok := a.(*net.IPNet)
				if !ok {
					continue
				}
				ip, ok := netip.AddrFromSlice(ipn.IP)
				ip = ip.Unmap()
				if !ok || !ip.Is4() || seen[ip] || (!want.IsUnspecified() && ip != want) {
					continue
				}
				ones, _ := ipn.Mask.Size()
				seen[ip] = true
				out = append(out, iface{index: ni.Index, addr: ip, net: netip.PrefixFrom(ip, ones).Masked(), port: l.Port()})
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("lsdactor: no IPv4 interface for the listen addresses %v", listen)
	}
	return out, nil
}
