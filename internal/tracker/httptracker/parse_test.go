package httptracker

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
)

// b encodes a bencode string.
func b(s string) string { return fmt.Sprintf("%d:%s", len(s), s) }

// compact4 and compact6 encode peers as trackers do.
func compact4(peers ...string) string {
	var sb strings.Builder
	for _, p := range peers {
		ap := netip.MustParseAddrPort(p)
		a := ap.Addr().As4()
		sb.Write(a[:])
		sb.WriteByte(byte(ap.Port() >> 8))
		sb.WriteByte(byte(ap.Port()))
	}
	return sb.String()
}

func compact6(peers ...string) string {
	var sb strings.Builder
	for _, p := range peers {
		ap := netip.MustParseAddrPort(p)
		a := ap.Addr().As16()
		sb.Write(a[:])
		sb.WriteByte(byte(ap.Port() >> 8))
		sb.WriteByte(byte(ap.Port()))
	}
	return sb.String()
}

func peers(ps ...string) []netip.AddrPort {
	var out []netip.AddrPort
	for _, p := range ps {
		out = append(out, netip.MustParseAddrPort(p))
	}
	return out
}

// Realistic replies, shared with the fuzz seed corpus.
var (
	opentrackerReply = "d8:completei1e10:downloadedi0e10:incompletei1e8:intervali1800e12:min intervali900e5:peers" +
		b(compact4("127.0.0.1:6881", "10.1.2.3:51413")) + "e"
	dictPeersReply = "d8:intervali900e5:peersl" +
		"d2:ip" + b("192.0.2.7") + "7:peer id" + b("-lt2080-abcdefghijkl") + "4:porti6881ee" +
		"d2:ip" + b("tracker.example.com") + "4:porti1ee" + // hostname: skipped
		"d2:ip" + b("2001:db8::1") + "4:porti7000ee" +
		"d2:ip" + b("fe80::1%eth0") + "4:porti7001ee" + // zone: skipped
		"d2:ip" + b("192.0.2.8") + "4:porti0ee" + // port 0: skipped
		"d2:ip" + b("192.0.2.9") + "4:porti70000ee" + // port too big: skipped
		"d4:porti5ee" + // no ip: skipped
		"i5e" + // not a dict: skipped
		"ee"
	failureReply = "d14:failure reason" + b("Requested download is not authorized for use with this tracker.") + "e"
)

func TestParseAnnounce(t *testing.T) {
	unknown := tracker.AnnounceResponse{Complete: -1, Incomplete: -1, Downloaded: -1}
	tests := []struct {
		name string
		body string
		want tracker.AnnounceResponse
		err  error
	}{
		{"opentracker compact", opentrackerReply, tracker.AnnounceResponse{
			Interval: 1800 * time.Second, MinInterval: 900 * time.Second,
			Peers:    peers("127.0.0.1:6881", "10.1.2.3:51413"),
			Complete: 1, Incomplete: 1, Downloaded: 0,
		}, nil},
		{"dict peers", dictPeersReply, tracker.AnnounceResponse{
			Interval: 900 * time.Second, Peers: peers("192.0.2.7:6881", "[2001:db8::1]:7000"),
			Complete: -1, Incomplete: -1, Downloaded: -1,
		}, nil},
		{"peers6 and peers together, junk dropped", "d5:peers" + b(compact4("192.0.2.1:1", "0.0.0.0:2", "192.0.2.2:0", "224.0.0.1:3", "255.255.255.255:4")+"\x01\x02") +
			"6:peers6" + b(compact6("[2001:db8::2]:6881", "[::ffff:192.0.2.3]:5", "[::]:6")+"\x01") + "e",
			tracker.AnnounceResponse{Peers: peers("192.0.2.1:1", "[2001:db8::2]:6881", "192.0.2.3:5"), Complete: -1, Incomplete: -1, Downloaded: -1}, nil},
		{"warning, tracker id, external ip", "d11:external ip4:\xc0\x00\x02\x0a8:intervali60e10:tracker id" + b("tid/7") +
			"15:warning message" + b("slow down") + "e",
			tracker.AnnounceResponse{Interval: time.Minute, TrackerID: "tid/7", Warning: "slow down",
				ExternalIP: netip.MustParseAddr("192.0.2.10"), Complete: -1, Incomplete: -1, Downloaded: -1}, nil},
		{"hostile numbers", "d8:completei-5e10:incompletei99999999999999e8:intervali99999999999999999e12:min intervali-1ee",
			tracker.AnnounceResponse{Interval: maxSeconds * time.Second, Complete: -1, Incomplete: 1<<31 - 1, Downloaded: -1}, nil},
		{"wrong types ignored", "d8:interval2:605:peersi1e10:tracker idi5ee", unknown, nil},
		{"first duplicate key wins", "d8:intervali60e8:intervali1ee", tracker.AnnounceResponse{Interval: time.Minute, Complete: -1, Incomplete: -1, Downloaded: -1}, nil},
		{"trailing newline", "d8:intervali60ee\n", tracker.AnnounceResponse{Interval: time.Minute, Complete: -1, Incomplete: -1, Downloaded: -1}, nil},
		{"empty dict", "de", unknown, nil},
		{"failure", failureReply, unknown, &tracker.FailureError{Reason: "Requested download is not authorized for use with this tracker."}},
		{"failure with retry in", "d14:failure reason4:busy8:retry ini15ee", unknown, &tracker.FailureError{Reason: "busy", RetryIn: 15 * time.Minute}},
		{"failure with min interval", "d14:failure reason4:busy12:min intervali120ee", unknown, &tracker.FailureError{Reason: "busy", RetryIn: 2 * time.Minute}},
		{"failure, never", "d14:failure reason4:gone8:retry in5:nevere", unknown, &tracker.FailureError{Reason: "gone", Never: true}},
		{"failure that is not a string", "d14:failure reasoni1ee", unknown, &tracker.FailureError{}},
		{"retry in alone is no failure", "d8:retry in5:nevere", unknown, nil},
		{"html", "<html>502 Bad Gateway</html>", unknown, tracker.ErrInvalidResponse},
		{"empty", "", unknown, tracker.ErrInvalidResponse},
		{"a list", "l8:intervale", unknown, tracker.ErrInvalidResponse},
		{"truncated", opentrackerReply[:40], unknown, tracker.ErrInvalidResponse},
		{"too deep", strings.Repeat("l", 20) + strings.Repeat("e", 20), unknown, tracker.ErrInvalidResponse},
		{"huge string length", "d5:peers999999999999:e", unknown, tracker.ErrInvalidResponse},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAnnounce([]byte(tc.body))
			var wantFE *tracker.FailureError
			switch {
			case errors.As(tc.err, &wantFE):
				var fe *tracker.FailureError
				if !errors.As(err, &fe) || *fe != *wantFE {
					t.Fatalf("err = %#v, want %#v", err, wantFE)
				}
			case !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil):
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseAnnounceText(t *testing.T) {
	long := strings.Repeat("é", maxText) // 2 bytes a rune: cut in the middle
	_, err := ParseAnnounce([]byte("d14:failure reason" + b(long) + "e"))
	var fe *tracker.FailureError
	if !errors.As(err, &fe) || len(fe.Reason) > maxText+3 || !strings.HasPrefix(fe.Reason, "éé") {
		t.Fatalf("long reason: %d bytes", len(fe.Reason))
	}
	got, _ := ParseAnnounce([]byte("d15:warning message3:a\xffbe"))
	if got.Warning != "a\uFFFDb" {
		t.Fatalf("warning %q", got.Warning)
	}
}

func TestParseAnnouncePeerCap(t *testing.T) {
	many := make([]string, maxPeers+10)
	for i := range many {
		many[i] = fmt.Sprintf("10.%d.%d.1:1", i>>8&255, i&255)
	}
	got, err := ParseAnnounce([]byte("d5:peers" + b(compact4(many...)) + "e"))
	if err != nil || len(got.Peers) != maxPeers {
		t.Fatalf("%d peers, %v", len(got.Peers), err)
	}
}

func hash(c byte) [20]byte {
	var h [20]byte
	for i := range h {
		h[i] = c
	}
	return h
}

func TestParseScrape(t *testing.T) {
	h1, h2 := hash('a'), hash('b')
	tests := []struct {
		name string
		body string
		want map[[20]byte]tracker.ScrapeResponse
		err  error
	}{
		{"two torrents", "d5:filesd" + b(string(h1[:])) + "d8:completei5e10:downloadedi50e10:incompletei3ee" +
			b(string(h2[:])) + "d8:completei1eee5:flagsd20:min_request_intervali3600eee",
			map[[20]byte]tracker.ScrapeResponse{h1: sr(5, 3, 50), h2: sr(1, -1, -1)}, nil},
		{"bad keys and values skipped", "d5:filesd3:abcd8:completei1ee" + b(string(h1[:])) + "i5e" + b(string(h2[:])) + "d8:completei-2eeee",
			map[[20]byte]tracker.ScrapeResponse{h2: sr(-1, -1, -1)}, nil},
		{"empty files", "d5:filesdee", map[[20]byte]tracker.ScrapeResponse{}, nil},
		{"no files", "d8:intervali5ee", nil, tracker.ErrInvalidResponse},
		{"files not a dict", "d5:fileslee", nil, tracker.ErrInvalidResponse},
		{"garbage", "Not Found", nil, tracker.ErrInvalidResponse},
		{"failure", failureReply, nil, &tracker.FailureError{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseScrape([]byte(tc.body))
			var fe *tracker.FailureError
			if _, isFE := tc.err.(*tracker.FailureError); isFE {
				if !errors.As(err, &fe) || fe.Reason == "" {
					t.Fatalf("err = %v, want a failure", err)
				}
			} else if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func sr(complete, incomplete, downloaded int) tracker.ScrapeResponse {
	return tracker.ScrapeResponse{Complete: complete, Incomplete: incomplete, Downloaded: downloaded}
}
