package udptracker

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// encodePacket is the tracker's encoding of p, for the round trip.
func encodePacket(p Packet, ipv6 bool) []byte {
	switch p.Action {
	case ActionConnect:
		return encodeConnectReply(p.TransactionID, p.ConnectionID)
	case ActionAnnounce:
		return encodeAnnounceReply(p.TransactionID, p.Announce, ipv6)
	case ActionScrape:
		return encodeScrapeReply(p.TransactionID, p.Scrape)
	}
	return encodeErrorReply(p.TransactionID, p.Err.Reason)
}

// FuzzParsePacket: any bytes, read as either family, parse without panic
// to a packet or a sentinel error; a parsed packet re-encodes to bytes that
// parse to the same packet.
func FuzzParsePacket(f *testing.F) {
	peers := AnnounceResponse{Interval: time.Hour, Complete: 1, Incomplete: 2}
	for _, seed := range []struct {
		b    []byte
		ipv6 bool
	}{
		{encodeConnectReply(1, 0x41727101980), false},
		{encodeAnnounceReply(2, peers, false), false},
		{append(encodeAnnounceReply(2, peers, false), 10, 0, 0, 1, 0x1a, 0xe1, 0xff), false},
		{append(encodeAnnounceReply(2, peers, true), make([]byte, 18)...), true},
		{encodeScrapeReply(3, []ScrapeResponse{{1, 2, 3}}), false},
		{encodeErrorReply(4, "Connection ID missmatch.\x00"), false},
		{encodeErrorReply(4, "\xff\xfe bad utf-8"), false},
		{[]byte{0, 0, 0, 9, 1, 2, 3, 4}, false},
		{[]byte{0, 0, 0}, true},
	} {
		f.Add(seed.b, seed.ipv6)
	}
	f.Fuzz(func(t *testing.T, b []byte, ipv6 bool) {
		p, err := ParsePacket(b, ipv6)
		if err != nil {
			if !errors.Is(err, ErrShortPacket) && !errors.Is(err, ErrUnknownAction) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		if p.Action == ActionError && p.Err == nil {
			t.Fatal("error packet without Err")
		}
		if a := p.Announce; a.Interval < 0 || a.Complete < -1 || a.Incomplete < -1 || (p.Action == ActionAnnounce && a.Downloaded != -1) {
			t.Fatalf("counts out of range: %+v", a)
		}
		for _, s := range p.Scrape {
			if s.Complete < -1 || s.Incomplete < -1 || s.Downloaded < -1 {
				t.Fatalf("scrape counts out of range: %+v", s)
			}
		}
		for _, peer := range p.Announce.Peers {
			if peer.Port() == 0 || peer.Addr().Is4In6() || (peer.Addr().Is6() && !ipv6) {
				t.Fatalf("bad peer %v (ipv6 %v)", peer, ipv6)
			}
		}
		p2, err := ParsePacket(encodePacket(p, ipv6), ipv6)
		if err != nil {
			t.Fatalf("re-encoded packet does not parse: %v", err)
		}
		if !reflect.DeepEqual(p, p2) {
			t.Fatalf("round trip differs:\n%+v\n%+v", p, p2)
		}
	})
}
