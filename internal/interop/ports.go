package interop

import (
	"fmt"
	"net"
)

// FreePort returns a port on 127.0.0.1 that was free a moment ago for
// network "tcp" or "udp" (the "4"/"6" suffixed names are accepted). Another
// process may take it before the caller binds it; callers that start a
// server on it should retry with a new port when binding fails.
func FreePort(network string) (int, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("interop: free tcp port: %w", err)
		}
		defer ln.Close()
		return ln.Addr().(*net.TCPAddr).Port, nil
	case "udp", "udp4", "udp6":
		pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("interop: free udp port: %w", err)
		}
		defer pc.Close()
		return pc.LocalAddr().(*net.UDPAddr).Port, nil
	default:
		return 0, fmt.Errorf("%w: network %q is not tcp or udp", ErrBadOptions, network)
	}
}
