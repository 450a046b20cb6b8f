package httptracker

import (
	"errors"
	"io"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/tracker"
)

func TestEscape(t *testing.T) {
	in := []byte("az AZ09-._~+/%\x00\xff")
	if got, want := escape(in), "az%20AZ09-._~%2B%2F%25%00%FF"; got != want {
		t.Fatalf("escape = %s, want %s", got, want)
	}
}

func TestAnnounceRequestURL(t *testing.T) {
	req := tracker.AnnounceRequest{
		InfoHash: [20]byte{0x12, 0x34, 'a', ' ', 0xff}, PeerID: [20]byte{'-', 'A', 'T', '0', '1', '0', '0', '-'},
		Port: 6881, Uploaded: 10, Downloaded: 20, Left: 30, Corrupt: 1, Redundant: 2,
		Event: tracker.EventStarted, NumWant: 200, Key: 0xbeef, TrackerID: "t&1", Compact: true,
		SupportCrypto: true, IP: "example.net", IPv6: netip.MustParseAddr("2001:db8::1"),
		IPv4: netip.MustParseAddr("::ffff:192.0.2.1"),
	}
	want := "http://t.example/announce?pk=a%2Fb&info_hash=%124a%20%FF%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00" +
		"&peer_id=-AT0100-%00%00%00%00%00%00%00%00%00%00%00%00&port=6881&uploaded=10&downloaded=20&left=30" +
		"&corrupt=1&key=0000beef&event=started&numwant=200&compact=1&no_peer_id=1&supportcrypto=1&redundant=2" +
		"&trackerid=t%261&ip=example.net&ipv6=2001%3Adb8%3A%3A1&ipv4=192.0.2.1"
	if got := announceRequestURL("http://t.example/announce?pk=a%2Fb#frag", req); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// The defaults: no event, no numwant when negative, no optional fields.
	bare := announceRequestURL("http://t/a", tracker.AnnounceRequest{Port: 1, NumWant: -1, Left: -5})
	want = "http://t/a?info_hash=" + escape(make([]byte, 20)) + "&peer_id=" + escape(make([]byte, 20)) +
		"&port=1&uploaded=0&downloaded=0&left=0&key=00000000"
	if bare != want {
		t.Fatalf("got  %s\nwant %s", bare, want)
	}
}

func TestWithQuery(t *testing.T) {
	for base, want := range map[string]string{
		"http://t/a":        "http://t/a?x=1",
		"http://t/a?":       "http://t/a?x=1",
		"http://t/a?k=v":    "http://t/a?k=v&x=1",
		"http://t/a?k=v&":   "http://t/a?k=v&x=1",
		"http://t/a#f":      "http://t/a?x=1",
		"http://t/a?k=v#f?": "http://t/a?k=v&x=1",
	} {
		if got := withQuery(base, "x=1"); got != want {
			t.Errorf("withQuery(%q) = %q, want %q", base, got, want)
		}
	}
}

func TestScrapeURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://t.example/announce":                 "http://t.example/scrape",
		"http://t.example:80/x/announce":            "http://t.example:80/x/scrape",
		"http://t.example/x/announce.php":           "http://t.example/x/scrape.php",
		"http://t.example/announce?passkey=a/b":     "http://t.example/scrape?passkey=a/b",
		"https://t.example/path/announce.php?k=v#f": "https://t.example/path/scrape.php?k=v#f",
		"http://t.example/announce/":                "",
		"http://t.example/a":                        "",
		"http://t.example/x%064announce":            "",
		"http://t.example/":                         "",
		"http://announce":                           "",
		"http://t.example/path/announce/x":          "",
	} {
		got, err := ScrapeURL(in)
		if want == "" {
			if !errors.Is(err, tracker.ErrNotScrapable) {
				t.Errorf("ScrapeURL(%q) = %q, %v; want not scrapable", in, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("ScrapeURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"udp://t.example:80/announce", "/announce", "::", "http:///announce"} {
		if _, err := ScrapeURL(in); !errors.Is(err, ErrBadURL) {
			t.Errorf("ScrapeURL(%q): %v, want ErrBadURL", in, err)
		}
	}
}

// TestRedact: transport errors keep no query (info-hash, peer id) and no
// passkey path.
func TestRedact(t *testing.T) {
	err := redact(&url.Error{Op: "Get", URL: "http://user:pw@tr.example:80/abcdef0123passkey/announce?info_hash=%01%02&peer_id=x", Err: io.EOF})
	msg := err.Error()
	for _, leak := range []string{"info_hash", "peer_id", "passkey", "pw"} {
		if strings.Contains(msg, leak) {
			t.Errorf("redacted error %q still has %q", msg, leak)
		}
	}
	if !errors.Is(err, io.EOF) || !strings.Contains(msg, "tr.example") {
		t.Errorf("redacted error %q lost its cause or host", msg)
	}
}
