//go:build linux && (amd64 || arm64)

package utp

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	// ioBatch is the datagrams (or GSO trains) per sendmmsg/recvmmsg.
	ioBatch = 64
	// rxBatchMsgs receive buffers of maxDatagram bytes each: a GRO read
	// can fill one with up to 64 KiB of coalesced datagrams.
	rxBatchMsgs = 16
	// gsoMaxSegments and gsoMaxBytes bound one GSO train (the kernel's
	// UDP_MAX_SEGMENTS is 64 on older kernels; a train is one IP packet).
	gsoMaxSegments = 64
	gsoMaxBytes    = 65000
	// cmsgSpaceU16 holds one UDP_SEGMENT control message.
	cmsgSpaceU16 = 24
	rxOOB        = 64
)

// mmsghdr is struct mmsghdr: a msghdr and the byte count the kernel
// fills in (Go pads it as C does on 64-bit).
type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
}

// linuxIO moves datagrams with recvmmsg and sendmmsg, with GSO trains out
// (UDP_SEGMENT) and GRO in (UDP_GRO) when the kernel has them: a train of
// equal datagrams to one peer crosses the stack once. Peers see ordinary
// datagrams: the kernel (or the NIC) cuts trains before the wire, and
// GRO reads are cut here by their segment size.
type linuxIO struct {
	rc  syscall.RawConn
	v6  bool // an AF_INET6 socket: IPv4 peers are written v4-mapped
	gso bool // owner only: cleared when the kernel refuses a train

	// write side, owner only
	wmsgs  []mmsghdr
	wiovs  []unix.Iovec
	wnames []unix.RawSockaddrInet6
	woob   []byte
	wdata  []uint64 // per message: DATA packets it carries
	// wstarts[i] is the index in out of message i's first datagram;
	// wstarts[k] is past the last one laid out.
	wstarts [ioBatch + 1]int
	// The RawConn callbacks and their results, made once so that a call
	// allocates nothing.
	wfn       func(fd uintptr) bool
	wk, wsent int
	werr      error
	rfn       func(fd uintptr) bool
	rgot      int
	rerr      error

	// read side, reader only
	rmsgs  []mmsghdr
	riovs  []unix.Iovec
	rbufs  [][]byte
	rnames []unix.RawSockaddrInet6
	roob   []byte
}

func newBatchIO(pc *net.UDPConn) batchIO {
	rc, err := pc.SyscallConn()
	if err != nil {
		return nil
	}
	x := &linuxIO{rc: rc}
	var serr error
	err = rc.Control(func(fd uintptr) {
		var sa unix.Sockaddr
		sa, serr = unix.Getsockname(int(fd))
		_, x.v6 = sa.(*unix.SockaddrInet6)
		// Probing UDP_SEGMENT tells whether the kernel has GSO (4.18+).
		if _, err := unix.GetsockoptInt(int(fd), unix.SOL_UDP, unix.UDP_SEGMENT); err == nil {
			x.gso = true
		}
		_ = unix.SetsockoptInt(int(fd), unix.SOL_UDP, unix.UDP_GRO, 1)
	})
	if err != nil || serr != nil {
		return nil
	}
	x.wfn = x.sendmmsg
	x.rfn = x.recvmmsg
	x.wmsgs = make([]mmsghdr, ioBatch)
	x.wiovs = make([]unix.Iovec, ioBatch*gsoMaxSegments)
	x.wnames = make([]unix.RawSockaddrInet6, ioBatch)
	x.woob = make([]byte, ioBatch*cmsgSpaceU16)
	x.wdata = make([]uint64, ioBatch)
	x.rmsgs = make([]mmsghdr, rxBatchMsgs)
	x.riovs = make([]unix.Iovec, rxBatchMsgs)
	x.rbufs = make([][]byte, rxBatchMsgs)
	x.rnames = make([]unix.RawSockaddrInet6, rxBatchMsgs)
	x.roob = make([]byte, rxBatchMsgs*rxOOB)
	for i := range x.rbufs {
		x.rbufs[i] = make([]byte, maxDatagram)
		x.riovs[i].Base = &x.rbufs[i][0]
	}
	return x
}

// sendmmsg sends messages wsent..wk; false asks the poller to wait until
// the socket is writable.
func (x *linuxIO) sendmmsg(fd uintptr) bool {
	for x.wsent < x.wk {
		r, _, e := unix.Syscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&x.wmsgs[x.wsent])), uintptr(x.wk-x.wsent), 0, 0, 0)
		if e == unix.EAGAIN {
			return false
		}
		if e != 0 {
			x.werr = e
			return true
		}
		x.wsent += int(r)
	}
	return true
}

// recvmmsg reads what is queued; false asks the poller to wait until the
// socket is readable.
func (x *linuxIO) recvmmsg(fd uintptr) bool {
	r, _, e := unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&x.rmsgs[0])), uintptr(len(x.rmsgs)), 0, 0, 0)
	if e == unix.EAGAIN {
		return false
	}
	if e != 0 {
		x.rerr = e
		return true
	}
	x.rgot = int(r)
	return true
}

// putSockaddr writes addr into sa for this socket's family; it reports the
// name's length, 0 when the socket cannot reach that family.
func (x *linuxIO) putSockaddr(sa *unix.RawSockaddrInet6, addr netip.AddrPort) uint32 {
	port := addr.Port()
	if !x.v6 {
		if !addr.Addr().Is4() {
			return 0
		}
		s4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		s4.Family = unix.AF_INET
		binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&s4.Port))[:], port)
		s4.Addr = addr.Addr().As4()
		return unix.SizeofSockaddrInet4
	}
	sa.Family = unix.AF_INET6
	binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&sa.Port))[:], port)
	sa.Flowinfo = 0
	sa.Addr = addr.Addr().As16()
	sa.Scope_id = 0
	return unix.SizeofSockaddrInet6
}

// write sends out, grouping runs of equal datagrams to one peer into GSO
// trains. A full socket buffer parks the owner until the socket drains
// (the runtime's poller): a stall, never a silent drop.
func (x *linuxIO) write(out []outDatagram, n *counters) {
	for len(out) > 0 {
		k := x.fill(out, n)
		used := x.wstarts[:]
		x.wk, x.wsent, x.werr = k, 0, nil
		err := x.rc.Write(x.wfn)
		sent, serr := x.wsent, x.werr
		for i := range sent {
			n.payloadOut += x.wdata[i]
		}
		if err != nil {
			n.sendErrors += uint64(len(out))
			return
		}
		if serr != nil {
			// The first unsent message failed. A refused train turns GSO
			// off and goes again as single datagrams; anything else is
			// that message's loss (counted; uTP resends).
			if x.gso && x.wmsgs[sent].hdr.Controllen > 0 && (errors.Is(serr, unix.EIO) || errors.Is(serr, unix.EINVAL)) {
				x.gso = false
				out = out[used[sent]:]
				continue
			}
			n.sendErrors++
			out = out[used[sent+1]:]
			continue
		}
		out = out[used[k]:]
	}
}

// fill lays out up to ioBatch messages from out, records where each
// starts in x.wstarts, and returns how many.
func (x *linuxIO) fill(out []outDatagram, n *counters) int {
	k, i, iov := 0, 0, 0
	for i < len(out) && k < ioBatch {
		first := out[i]
		nameLen := x.putSockaddr(&x.wnames[k], first.to)
		if nameLen == 0 {
			// An IPv6 peer on an IPv4 socket: no route from here.
			n.sendErrors++
			i++
			continue
		}
		x.wstarts[k] = i
		j := i + 1
		if x.gso {
			size := len(first.b)
			for j < len(out) && j-i < gsoMaxSegments && iov+(j-i) < len(x.wiovs) &&
				out[j].to == first.to && len(out[j].b) <= size && (j-i+1)*size <= gsoMaxBytes {
				j++
				if len(out[j-1].b) < size {
					break // a shorter datagram ends the train
				}
			}
		}
		m := &x.wmsgs[k]
		m.hdr = unix.Msghdr{}
		m.hdr.Name = (*byte)(unsafe.Pointer(&x.wnames[k]))
		m.hdr.Namelen = nameLen
		var data uint64
		for d := i; d < j; d++ {
			x.wiovs[iov+d-i].Base = &out[d].b[0]
			x.wiovs[iov+d-i].SetLen(len(out[d].b))
			if PacketType(out[d].b[0]>>4) == TypeData {
				data++
			}
		}
		x.wdata[k] = data
		m.hdr.Iov = &x.wiovs[iov]
		m.hdr.SetIovlen(j - i)
		iov += j - i
		if j-i > 1 {
			oob := x.woob[k*cmsgSpaceU16 : (k+1)*cmsgSpaceU16]
			h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
			h.Level = unix.SOL_UDP
			h.Type = unix.UDP_SEGMENT
			h.SetLen(unix.CmsgLen(2))
			binary.NativeEndian.PutUint16(oob[unix.CmsgLen(0):], uint16(len(first.b)))
			m.hdr.Control = &oob[0]
			m.hdr.SetControllen(unix.CmsgSpace(2))
		}
		k++
		i = j
	}
	x.wstarts[k] = i
	return k
}

// read waits for datagrams, reads up to rxBatchMsgs of them in one
// recvmmsg and hands each to deliver, GRO reads cut by segment size.
func (x *linuxIO) read(deliver func(b []byte, seg int, from netip.AddrPort) bool, drops func(uint32)) error {
	for i := range x.rmsgs {
		m := &x.rmsgs[i]
		m.hdr = unix.Msghdr{}
		x.riovs[i].SetLen(maxDatagram)
		m.hdr.Iov = &x.riovs[i]
		m.hdr.SetIovlen(1)
		m.hdr.Name = (*byte)(unsafe.Pointer(&x.rnames[i]))
		m.hdr.Namelen = unix.SizeofSockaddrInet6
		m.hdr.Control = &x.roob[i*rxOOB]
		m.hdr.SetControllen(rxOOB)
		m.n = 0
	}
	x.rgot, x.rerr = 0, nil
	if err := x.rc.Read(x.rfn); err != nil {
		return err
	}
	got := x.rgot
	if x.rerr != nil {
		return nil // a transient error on one datagram; read on
	}
	for i := range got {
		m := &x.rmsgs[i]
		from, ok := rawAddrPort(&x.rnames[i])
		if !ok {
			continue
		}
		seg := 0
		oob := x.roob[i*rxOOB : i*rxOOB+int(m.hdr.Controllen)]
		for len(oob) >= unix.SizeofCmsghdr {
			h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
			l := int(h.Len)
			if l < unix.SizeofCmsghdr || l > len(oob) {
				break
			}
			body := oob[unix.SizeofCmsghdr:l]
			switch {
			case h.Level == unix.SOL_UDP && h.Type == unix.UDP_GRO && len(body) >= 4:
				seg = int(binary.NativeEndian.Uint32(body))
			case h.Level == unix.SOL_SOCKET && h.Type == unix.SO_RXQ_OVFL && len(body) >= 4:
				drops(binary.NativeEndian.Uint32(body))
			}
			next := unix.CmsgSpace(l - unix.SizeofCmsghdr)
			if next > len(oob) {
				break
			}
			oob = oob[next:]
		}
		if m.n > 0 && !deliver(x.rbufs[i][:m.n], seg, from) {
			return net.ErrClosed
		}
	}
	return nil
}

// rawAddrPort decodes a sockaddr the kernel filled in.
func rawAddrPort(sa *unix.RawSockaddrInet6) (netip.AddrPort, bool) {
	port := func(p *uint16) uint16 { return binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(p))[:]) }
	switch sa.Family {
	case unix.AF_INET:
		s4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		return netip.AddrPortFrom(netip.AddrFrom4(s4.Addr), port(&s4.Port)), true
	case unix.AF_INET6:
		return unmapAddrPort(netip.AddrPortFrom(netip.AddrFrom16(sa.Addr), port(&sa.Port))), true
	}
	return netip.AddrPort{}, false
}
