package fakegw

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
)

// NATPMP is a fake NAT-PMP responder (RFC 6886) on addr:5351, the port
// the client library insists on: each test gives it a 127.x.y.z of its
// own.
type NATPMP struct {
	*record
	conn  *net.UDPConn
	extIP netip.Addr
	done  chan struct{}
}

// NewNATPMP answers at addr:5351 with external address extIP, until
// Close.
func NewNATPMP(addr, extIP netip.Addr) (*NATPMP, error) {
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, 5351)))
	if err != nil {
		return nil, err
	}
	g := &NATPMP{record: newRecord(), conn: conn, extIP: extIP, done: make(chan struct{})}
	go g.serve()
	return g, nil
}

// Close stops the responder and waits for it.
func (g *NATPMP) Close() {
	g.conn.Close()
	<-g.done
}

func (g *NATPMP) serve() {
	defer close(g.done)
	buf := make([]byte, 64)
	for {
		n, from, err := g.conn.ReadFromUDPAddrPort(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil || n < 2 {
			continue
		}
		if reply := g.answer(buf[:n]); reply != nil {
			_, _ = g.conn.WriteToUDPAddrPort(reply, from)
		}
		g.signal()
	}
}

// answer builds the response to one request (nil: none is sent).
func (g *NATPMP) answer(req []byte) []byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	op := req[1]
	result := uint16(0)
	if g.refusing() {
		result = 3 // network failure
	}
	switch {
	case op == 0:
		out := make([]byte, 12)
		out[1] = 128
		binary.BigEndian.PutUint16(out[2:], result)
		ip := g.extIP.As4()
		copy(out[8:], ip[:])
		return out
	case (op == 1 || op == 2) && len(req) >= 12:
		proto := "UDP"
		if op == 2 {
			proto = "TCP"
		}
		internal := binary.BigEndian.Uint16(req[4:])
		external := binary.BigEndian.Uint16(req[6:])
		lease := binary.BigEndian.Uint32(req[8:])
		out := make([]byte, 16)
		out[1] = 128 + op
		binary.BigEndian.PutUint16(out[2:], result)
		binary.BigEndian.PutUint16(out[8:], internal)
		if result == 0 {
			if lease == 0 {
				// A delete: every mapping of that internal port goes.
				for k, e := range g.held {
					if k.Protocol == proto && e.Internal == internal {
						delete(g.held, k)
					}
				}
			} else {
				g.held[Key{proto, external}] = Entry{Internal: internal, Lease: lease}
				g.adds++
				binary.BigEndian.PutUint16(out[10:], external)
				binary.BigEndian.PutUint32(out[12:], lease)
			}
		}
		return out
	}
	return nil
}
