package utp

import (
	"errors"
	"time"
)

// State is where a connection is in its life.
type State uint8

// States, as libtorrent's (none, syn_sent, connected, fin_sent, then
// error_wait/deleting folded into Closed).
const (
	StateSynSent   State = iota // we sent a SYN and wait for its ACK
	StateConnected              // both directions open
	StateFinSent                // we sent our FIN; waiting for it to be acked
	StateClosed                 // done: Err says why (nil after a clean close)
)

var stateNames = [...]string{"syn-sent", "connected", "fin-sent", "closed"}

func (s State) String() string { return stateNames[s] }

// Why a connection ended.
var (
	ErrTimedOut = errors.New("utp: connection timed out")
	ErrReset    = errors.New("utp: connection reset by peer")
	ErrClosed   = errors.New("utp: connection closed")
)

// Datagram is one packet to send. Probe asks the sender to set don't-
// fragment: it is a path-MTU probe, and an EMSGSIZE for it is an answer,
// not an error.
//
// B belongs to the Conn and is reused: it stays valid until the next call
// of Outgoing on the same Conn. A caller that cannot send it before then
// (a stalled socket) must copy it.
type Datagram struct {
	B     []byte
	Probe bool
}

// dupAckLimit: a packet is taken as lost after this many duplicate ACKs,
// or when more than this many packets after it are selectively acked.
const dupAckLimit = 3

// Conn is one uTP connection as a pure state machine: no clock, no socket,
// no goroutine. Inputs are received packets (Incoming), the application's
// Write, Read and Close, and the passing of time (Tick); outputs are
// datagrams (Outgoing) and the next time Tick must run (Deadline). Every
// method takes the current time.
type Conn struct {
	cfg    Config
	state  State
	err    error
	sendID uint16 // connection_id we put in packets
	recvID uint16 // connection_id the peer puts in packets to us

	seqNr         uint16 // the next sequence number we send
	ackedSeq      uint16 // everything up to here has been acked
	fastResendSeq uint16 // packets before this are not fast-resent again
	duplicateAcks int
	outbuf        outRing
	bytesInFlight int
	ackedInFlight int    // bytes in flight the packet being handled acked
	numNeedResend int    // packets in outbuf marked needResend
	resendNext    uint16 // while numNeedResend > 0: no packet before this one is marked
	advWnd        int    // the peer's receive window

	ackNr   uint16     // the last sequence number received in order
	inbuf   reorderBuf // received out of order
	recvQ   byteRing   // received in order, not yet read
	send    byteRing   // written and not yet acked: sent packets' payloads, then the queue
	sendNx  uint64     // stream offset of the first byte not yet sent
	lastWnd int        // window in the last packet we sent

	eof    bool   // the peer's FIN is known
	eofSeq uint16 // its sequence number
	finGot bool   // everything up to and including the FIN arrived

	closing      bool // Close was called, or the peer closed: FIN once sendQ is empty
	closeReason  uint16
	remoteReason uint16
	remoteHas    bool

	cc          ledbat
	rtt         rttEstimator
	delays      delayEstimator
	mtu         mtuSearch
	cwndFull    bool
	nagleSeq    uint16 // the undersized packet in flight, if nagleActive
	nagleActive bool

	timeout     time.Time // RTO deadline (zero: nothing to time out)
	numTimeouts int
	persist     int       // window probes since the peer's window shut
	shutSince   time.Time // the first probe of the peer's shut window (zero: open)
	confirmed   bool      // the peer sent us something besides a SYN
	deferredAck bool
	ackDue      time.Time // with Config.DelayedAck: when the deferred ACK must go
	lastSend    time.Time
	lastRecv    time.Time // the last packet that passed the plausibility checks
	decayedAt   time.Time // the last idle decay of cwnd

	out     []Datagram
	outBufs []*[]byte // the buffers of out, to recycle
	lent    []*[]byte // the buffers handed out by the last Outgoing
	sackBuf [sackMaxLen]byte
	stats   Stats
}

func newConn(cfg Config, sendID, recvID, isn uint16, now time.Time) *Conn {
	c := &Conn{
		cfg:           cfg,
		sendID:        sendID,
		recvID:        recvID,
		seqNr:         isn,
		ackedSeq:      isn - 1,
		fastResendSeq: isn,
		advWnd:        initialCwnd,
		delays:        newDelayEstimator(),
		mtu:           newMTUSearch(cfg.MTUFloor, cfg.MTUCeiling),
		lastSend:      now,
	}
	c.cc = newLEDBAT(&c.cfg, c.mtu.mtu, isn-1)
	return c
}

// NewInitiator opens a connection: it queues a SYN (Outgoing) carrying
// recvID = sendID-1, the id the peer will address us by, as libtorrent
// does. sendID and isn (the SYN's sequence number) should be random; the
// caller draws them so that this type stays deterministic.
func NewInitiator(cfg Config, sendID, isn uint16, now time.Time) *Conn {
	c := newConn(cfg, sendID, sendID-1, isn, now)
	c.state = StateSynSent
	syn := c.outbuf.insert(isn, isn)
	syn.typ, syn.size = TypeSyn, HeaderSize
	c.seqNr = isn + 1
	c.transmit(syn, HeaderSize, now)
	c.timeout = now.Add(c.packetTimeout())
	return c
}

// NewAcceptor answers a SYN (already parsed, its type checked by the
// caller): sendID is the SYN's connection_id and recvID that plus one. The
// ACK (a STATE) is deferred like any other, so it goes out on Flush. isn
// should be random.
func NewAcceptor(cfg Config, syn Packet, isn uint16, now time.Time) *Conn {
	c := newConn(cfg, syn.ConnID, syn.ConnID+1, isn, now)
	c.state = StateConnected
	c.ackNr = syn.SeqNr
	// The SYN's wnd_size is 0 by libtorrent's convention, not a window.
	c.delays.observe(now, micros(now), syn.TimestampMicros, 0)
	c.deferAck(now)
	return c
}

// micros is the 32-bit microsecond clock of uTP timestamps.
func micros(t time.Time) uint32 { return uint32(t.UnixMicro()) }

// SendID and RecvID are the connection ids: packets we send carry SendID,
// packets for us carry RecvID (a SYN carries the initiator's RecvID).
func (c *Conn) SendID() uint16 { return c.sendID }
func (c *Conn) RecvID() uint16 { return c.recvID }

// State reports the connection's state; Err why it closed (nil when it
// closed cleanly or is open).
func (c *Conn) State() State { return c.state }
func (c *Conn) Err() error   { return c.err }

// RemoteCloseReason is the close_reason the peer sent, if any.
func (c *Conn) RemoteCloseReason() (uint16, bool) { return c.remoteReason, c.remoteHas }

// Cwnd, MTU and RTT expose the congestion state for tests and status.
func (c *Conn) Cwnd() int          { return c.cc.window() }
func (c *Conn) MTU() int           { return c.mtu.floor }
func (c *Conn) RTT() time.Duration { return time.Duration(c.rtt.meanMs()) * time.Millisecond }
func (c *Conn) BytesInFlight() int { return c.bytesInFlight }

// Outgoing appends the datagrams to send to dst and forgets them. The
// datagrams handed out by the previous call are taken back (see Datagram).
func (c *Conn) Outgoing(dst []Datagram) []Datagram {
	for i, b := range c.lent {
		putBuf(b)
		c.lent[i] = nil
	}
	c.lent = append(c.lent[:0], c.outBufs...)
	clear(c.outBufs)
	c.outBufs = c.outBufs[:0]
	dst = append(dst, c.out...)
	clear(c.out)
	c.out = c.out[:0]
	return dst
}

// close ends the connection with err (nil for a clean close).
func (c *Conn) close(err error) {
	c.state = StateClosed
	c.err = err
	c.timeout = time.Time{}
	c.deferredAck = false
	// Out-of-order data will never be delivered now; its buffers go back.
	c.inbuf.clear()
}

// packetTimeout is how long the oldest unacked packet may wait.
func (c *Conn) packetTimeout() time.Duration {
	if c.state == StateSynSent {
		return synTimeout(c.cfg.ConnectTimeout, c.numTimeouts)
	}
	return c.rtt.timeout(c.cfg.MinTimeout, c.numTimeouts)
}

// recvWindow is what we advertise: the receive buffer less what sits in it.
func (c *Conn) recvWindow() int {
	return max(c.cfg.ReceiveBuffer-c.recvQ.len()-c.inbuf.bytes, 0)
}

// queued is how many written bytes wait to be sent.
func (c *Conn) queued() int { return int(c.send.end - c.sendNx) }
