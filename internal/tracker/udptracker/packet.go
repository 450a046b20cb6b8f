package udptracker

import (
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"
)

// protocolID is the magic connection id of a connect request.
const protocolID = 0x41727101980

// Action is a BEP 15 action code.
type Action uint32

// BEP 15 actions.
const (
	ActionConnect  Action = 0
	ActionAnnounce Action = 1
	ActionScrape   Action = 2
	ActionError    Action = 3
)

// Packet sizes from BEP 15.
const (
	connectRequestLen   = 16
	announceRequestLen  = 98
	scrapeRequestHeader = 16
	responseHeader      = 8 // action, transaction id
	connectResponseLen  = 16
	announceResponseMin = 20
	scrapeEntryLen      = 12
	peerLen4            = 6
	peerLen6            = 18
)

// MaxScrapeHashes is the most info-hashes one scrape may carry: BEP 15's
// "up to about 74", which keeps request and reply within one 1500-byte
// packet.
const MaxScrapeHashes = 74

// MaxReasonLen bounds an error reply's message; the rest is cut off.
const MaxReasonLen = 1024

// Packet is a decoded tracker response. Which fields are set depends on
// Action: ConnectionID for connect, Announce for announce, Scrape for
// scrape, Err for error.
type Packet struct {
	Action        Action
	TransactionID uint32
	ConnectionID  uint64
	Announce      AnnounceResponse
	Scrape        []ScrapeResponse
	Err           *FailureError
}

// AppendConnect appends a connect request.
func AppendConnect(dst []byte, tx uint32) []byte {
	dst = binary.BigEndian.AppendUint64(dst, protocolID)
	dst = binary.BigEndian.AppendUint32(dst, uint32(ActionConnect))
	return binary.BigEndian.AppendUint32(dst, tx)
}

// AppendAnnounce appends an announce request. The IP field is 0 (use the
// packet's source address); NumWant below 0 is sent as -1, the tracker's
// default; a NumWant above what int32 holds is capped.
func AppendAnnounce(dst []byte, connID uint64, tx uint32, req AnnounceRequest) ([]byte, error) {
	if req.Port < 0 || req.Port > math.MaxUint16 {
		return dst, fmt.Errorf("%w: port %d", ErrBadRequest, req.Port)
	}
	ev, ok := wireEvent(req.Event)
	if !ok {
		return dst, fmt.Errorf("%w: event %d", ErrBadRequest, int(req.Event))
	}
	numWant := int32(-1)
	if req.NumWant >= 0 {
		numWant = int32(min(req.NumWant, math.MaxInt32))
	}
	dst = binary.BigEndian.AppendUint64(dst, connID)
	dst = binary.BigEndian.AppendUint32(dst, uint32(ActionAnnounce))
	dst = binary.BigEndian.AppendUint32(dst, tx)
	dst = append(dst, req.InfoHash[:]...)
	dst = append(dst, req.PeerID[:]...)
	// Negative byte counts are a caller bug; a tracker would read them as
	// exabytes, so they are sent as 0.
	dst = binary.BigEndian.AppendUint64(dst, uint64(max(0, req.Downloaded)))
	dst = binary.BigEndian.AppendUint64(dst, uint64(max(0, req.Left)))
	dst = binary.BigEndian.AppendUint64(dst, uint64(max(0, req.Uploaded)))
	dst = binary.BigEndian.AppendUint32(dst, ev)
	dst = binary.BigEndian.AppendUint32(dst, 0) // IP: the sender's
	dst = binary.BigEndian.AppendUint32(dst, req.Key)
	dst = binary.BigEndian.AppendUint32(dst, uint32(numWant))
	return binary.BigEndian.AppendUint16(dst, uint16(req.Port)), nil
}

// wireEvent checks e; Event already has BEP 15's numbering.
func wireEvent(e Event) (uint32, bool) {
	return uint32(e), e >= EventNone && e <= EventStopped
}

// AppendScrape appends a scrape request for 1..MaxScrapeHashes hashes.
func AppendScrape(dst []byte, connID uint64, tx uint32, hashes [][20]byte) ([]byte, error) {
	if len(hashes) == 0 || len(hashes) > MaxScrapeHashes {
		return dst, fmt.Errorf("%w: %d info-hashes (1..%d)", ErrBadRequest, len(hashes), MaxScrapeHashes)
	}
	dst = binary.BigEndian.AppendUint64(dst, connID)
	dst = binary.BigEndian.AppendUint32(dst, uint32(ActionScrape))
	dst = binary.BigEndian.AppendUint32(dst, tx)
	for _, h := range hashes {
		dst = append(dst, h[:]...)
	}
	return dst, nil
}

// ParsePacket decodes a tracker response. ipv6 selects 18-byte peers in an
// announce reply (BEP 15: the peer format follows the address family the
// request was sent over). Packets longer than their action needs are
// accepted (BEP 15: "do not expect packets to be exactly of a certain
// size"); a trailing partial peer or scrape entry is ignored.
func ParsePacket(b []byte, ipv6 bool) (Packet, error) {
	if len(b) < responseHeader {
		return Packet{}, fmt.Errorf("%w: %d bytes", ErrShortPacket, len(b))
	}
	p := Packet{
		Action:        Action(binary.BigEndian.Uint32(b[0:4])),
		TransactionID: binary.BigEndian.Uint32(b[4:8]),
	}
	body := b[responseHeader:]
	switch p.Action {
	case ActionConnect:
		if len(b) < connectResponseLen {
			return p, fmt.Errorf("%w: connect reply of %d bytes", ErrShortPacket, len(b))
		}
		p.ConnectionID = binary.BigEndian.Uint64(body[0:8])
	case ActionAnnounce:
		if len(b) < announceResponseMin {
			return p, fmt.Errorf("%w: announce reply of %d bytes", ErrShortPacket, len(b))
		}
		p.Announce = parseAnnounce(body, ipv6)
	case ActionScrape:
		n := len(body) / scrapeEntryLen
		if n == 0 {
			return p, fmt.Errorf("%w: scrape reply of %d bytes", ErrShortPacket, len(b))
		}
		p.Scrape = make([]ScrapeResponse, n)
		for i := range p.Scrape {
			e := body[i*scrapeEntryLen:]
			p.Scrape[i] = ScrapeResponse{
				Complete:   count(e[0:4]),
				Downloaded: count(e[4:8]),
				Incomplete: count(e[8:12]),
			}
		}
	case ActionError:
		p.Err = &FailureError{Reason: reason(body)}
	default:
		return p, fmt.Errorf("%w: %d", ErrUnknownAction, p.Action)
	}
	return p, nil
}

// parseAnnounce decodes the part of an announce reply after the header.
// Peers with port 0 or an unspecified address are dropped: nobody can dial
// them, and trackers pad with them.
func parseAnnounce(body []byte, ipv6 bool) AnnounceResponse {
	r := AnnounceResponse{
		Interval:   time.Duration(max(0, count(body[0:4]))) * time.Second,
		Incomplete: count(body[4:8]),
		Complete:   count(body[8:12]),
		Downloaded: -1, // not in a UDP announce reply
	}
	peers := body[12:]
	size := peerLen4
	if ipv6 {
		size = peerLen6
	}
	for ; len(peers) >= size; peers = peers[size:] {
		addr, _ := netip.AddrFromSlice(peers[:size-2])
		port := binary.BigEndian.Uint16(peers[size-2 : size])
		if port == 0 || addr.IsUnspecified() {
			continue
		}
		if r.Peers == nil {
			r.Peers = make([]netip.AddrPort, 0, len(peers)/size)
		}
		r.Peers = append(r.Peers, netip.AddrPortFrom(addr.Unmap(), port))
	}
	return r
}

// count reads a BEP 15 int32 count. A negative one (a broken tracker) is
// -1, which tracker.AnnounceResponse and ScrapeResponse read as "unknown";
// for the interval, the caller makes it 0, "not sent".
func count(b []byte) int {
	return int(max(-1, int32(binary.BigEndian.Uint32(b))))
}

// reason turns an error reply's message into printable text: invalid
// UTF-8 replaced, control characters made spaces, surrounding space
// trimmed, cut to MaxReasonLen bytes on a character boundary. Applying it
// twice changes nothing.
func reason(b []byte) string {
	b = b[:min(len(b), 4*MaxReasonLen)] // enough for MaxReasonLen of output
	s := strings.ToValidUTF8(string(b), string(utf8.RuneError))
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > MaxReasonLen {
		cut := MaxReasonLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimSpace(s[:cut])
	}
	return s
}
