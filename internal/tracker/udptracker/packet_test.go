package udptracker

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestAppendRequests(t *testing.T) {
	if got := hex.EncodeToString(AppendConnect(nil, 0xdeadbeef)); got != "0000041727101980"+"00000000"+"deadbeef" {
		t.Fatalf("connect = %s", got)
	}
	req := AnnounceRequest{
		InfoHash: [20]byte{0xaa}, PeerID: [20]byte{0xbb},
		Downloaded: 1, Left: 2, Uploaded: 3, Event: EventStopped, Key: 0x01020304, NumWant: -5, Port: 6881,
	}
	b, err := AppendAnnounce(nil, 0x1122334455667788, 7, req)
	if err != nil {
		t.Fatal(err)
	}
	want := "1122334455667788" + "00000001" + "00000007" +
		"aa" + strings.Repeat("00", 19) + "bb" + strings.Repeat("00", 19) +
		"0000000000000001" + "0000000000000002" + "0000000000000003" +
		"00000003" + "00000000" + "01020304" + "ffffffff" + "1ae1"
	if got := hex.EncodeToString(b); got != want || len(b) != announceRequestLen {
		t.Fatalf("announce =\n%s\nwant\n%s", got, want)
	}
	for ev, wire := range map[Event]byte{EventNone: 0, EventCompleted: 1, EventStarted: 2, EventStopped: 3} {
		b, _ := AppendAnnounce(nil, 0, 0, AnnounceRequest{Event: ev, NumWant: 1 << 40})
		if b[83] != wire || !bytes.Equal(b[92:96], []byte{0x7f, 0xff, 0xff, 0xff}) {
			t.Errorf("event %v: byte %d, numwant % x", ev, b[83], b[92:96])
		}
	}
	b, err = AppendScrape(nil, 5, 6, [][20]byte{{1}, {2}})
	if err != nil || len(b) != 16+40 || b[16] != 1 || b[36] != 2 || b[11] != byte(ActionScrape) {
		t.Fatalf("scrape = %x, %v", b, err)
	}
}

func TestParsePacket(t *testing.T) {
	p4 := netip.MustParseAddrPort("10.0.0.1:6881")
	p6 := netip.MustParseAddrPort("[2001:db8::2]:51413")
	tests := []struct {
		name string
		in   []byte
		ipv6 bool
		want Packet
	}{
		{"connect", encodeConnectReply(9, 0xabcdef), false, Packet{Action: ActionConnect, TransactionID: 9, ConnectionID: 0xabcdef}},
		{"connect with trailing bytes", append(encodeConnectReply(9, 1), 1, 2, 3), false, Packet{Action: ActionConnect, TransactionID: 9, ConnectionID: 1}},
		{"announce v4", encodeAnnounceReply(1, AnnounceResponse{Interval: 900 * time.Second, Complete: 3, Incomplete: 4, Peers: []netip.AddrPort{p4}}, false), false,
			Packet{Action: ActionAnnounce, TransactionID: 1, Announce: AnnounceResponse{Interval: 900 * time.Second, Complete: 3, Incomplete: 4, Downloaded: -1, Peers: []netip.AddrPort{p4}}}},
		{"announce v6", encodeAnnounceReply(1, AnnounceResponse{Peers: []netip.AddrPort{p6}}, true), true,
			Packet{Action: ActionAnnounce, TransactionID: 1, Announce: AnnounceResponse{Downloaded: -1, Peers: []netip.AddrPort{p6}}}},
		{"announce partial peer ignored", append(encodeAnnounceReply(1, AnnounceResponse{Peers: []netip.AddrPort{p4}}, false), 1, 2, 3), false,
			Packet{Action: ActionAnnounce, TransactionID: 1, Announce: AnnounceResponse{Downloaded: -1, Peers: []netip.AddrPort{p4}}}},
		{"announce port-0 and zero peers dropped", encodeAnnounceReply(1, AnnounceResponse{Peers: []netip.AddrPort{
			netip.MustParseAddrPort("10.0.0.1:0"), netip.MustParseAddrPort("0.0.0.0:80"), p4}}, false), false,
			Packet{Action: ActionAnnounce, TransactionID: 1, Announce: AnnounceResponse{Downloaded: -1, Peers: []netip.AddrPort{p4}}}},
		{"negative counts are unknown", append(appendHeader(nil, ActionAnnounce, 1), 0, 0, 0, 9, 0xff, 0xff, 0xff, 0xff, 0x80, 0, 0, 0), false,
			Packet{Action: ActionAnnounce, TransactionID: 1, Announce: AnnounceResponse{Interval: 9 * time.Second, Complete: -1, Incomplete: -1, Downloaded: -1}}},
		{"negative interval is none", append(appendHeader(nil, ActionAnnounce, 1), bytes.Repeat([]byte{0xff}, 12)...), false,
			Packet{Action: ActionAnnounce, TransactionID: 1, Announce: AnnounceResponse{Complete: -1, Incomplete: -1, Downloaded: -1}}},
		{"scrape", encodeScrapeReply(2, []ScrapeResponse{{1, 2, 3}, {4, 5, 6}}), false,
			Packet{Action: ActionScrape, TransactionID: 2, Scrape: []ScrapeResponse{{1, 2, 3}, {4, 5, 6}}}},
		{"error", encodeErrorReply(3, "  bad\x00torrent\xff\n"), false,
			Packet{Action: ActionError, TransactionID: 3, Err: &FailureError{Reason: "bad torrent\ufffd"}}},
		{"empty error", encodeErrorReply(3, ""), false, Packet{Action: ActionError, TransactionID: 3, Err: &FailureError{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePacket(tc.in, tc.ipv6)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	// A v4 peer list read as v6 (or the reverse) is just fewer, wrong peers,
	// never a panic: the family is the caller's knowledge.
	if _, err := ParsePacket(encodeAnnounceReply(1, AnnounceResponse{Peers: []netip.AddrPort{p4, p4, p4}}, false), true); err != nil {
		t.Fatal(err)
	}
	long := encodeErrorReply(3, strings.Repeat("x", 5000))
	if p, _ := ParsePacket(long, false); len(p.Err.Reason) != MaxReasonLen {
		t.Fatalf("reason of %d bytes", len(p.Err.Reason))
	}
}

func TestParsePacketErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrShortPacket},
		{"seven bytes", make([]byte, 7), ErrShortPacket},
		{"short connect", appendHeader(nil, ActionConnect, 1), ErrShortPacket},
		{"short announce", append(appendHeader(nil, ActionAnnounce, 1), 0, 0, 0), ErrShortPacket},
		{"short scrape", append(appendHeader(nil, ActionScrape, 1), make([]byte, 11)...), ErrShortPacket},
		{"unknown action", appendHeader(nil, 4, 1), ErrUnknownAction},
	} {
		if _, err := ParsePacket(tc.in, false); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}
