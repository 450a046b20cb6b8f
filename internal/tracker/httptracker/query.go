package httptracker

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/actorrent/actorrent/internal/tracker"
)

// escape percent-encodes every byte of b except RFC 3986's unreserved
// characters, as libtorrent does. url.QueryEscape is not used: it turns
// 0x20 into '+', which some trackers do not decode inside a binary
// info_hash.
func escape(b []byte) string {
	const hex = "0123456789ABCDEF"
	var sb strings.Builder
	sb.Grow(len(b) * 3)
	for _, c := range b {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' {
			sb.WriteByte(c)
			continue
		}
		sb.WriteByte('%')
		sb.WriteByte(hex[c>>4])
		sb.WriteByte(hex[c&15])
	}
	return sb.String()
}

// withQuery appends query to base, with '?' or, when base already has a
// query (a passkey, say), '&'. base's query is kept byte for byte, and a
// fragment is dropped because it would end up after our parameters.
func withQuery(base, query string) string {
	if i := strings.IndexByte(base, '#'); i >= 0 {
		base = base[:i]
	}
	switch {
	case !strings.Contains(base, "?"):
		return base + "?" + query
	case strings.HasSuffix(base, "?"), strings.HasSuffix(base, "&"):
		return base + query
	}
	return base + "&" + query
}

// announceRequestURL is base with req's parameters, in libtorrent's order.
func announceRequestURL(base string, req tracker.AnnounceRequest) string {
	var q strings.Builder
	param := func(k, v string) {
		if q.Len() > 0 {
			q.WriteByte('&')
		}
		q.WriteString(k)
		q.WriteByte('=')
		q.WriteString(v)
	}
	num := func(v int64) string { return strconv.FormatInt(v, 10) }
	param("info_hash", escape(req.InfoHash[:]))
	param("peer_id", escape(req.PeerID[:]))
	param("port", num(int64(req.Port)))
	param("uploaded", num(max(req.Uploaded, 0)))
	param("downloaded", num(max(req.Downloaded, 0)))
	param("left", num(max(req.Left, 0)))
	if req.Corrupt > 0 {
		param("corrupt", num(req.Corrupt))
	}
	param("key", fmt.Sprintf("%08x", req.Key))
	if req.Event != tracker.EventNone {
		param("event", req.Event.String())
	}
	if req.NumWant >= 0 {
		param("numwant", num(int64(req.NumWant)))
	}
	if req.Compact {
		param("compact", "1")
		param("no_peer_id", "1")
	}
	if req.SupportCrypto {
		param("supportcrypto", "1")
	}
	if req.Redundant > 0 {
		param("redundant", num(req.Redundant))
	}
	if req.TrackerID != "" {
		param("trackerid", escape([]byte(req.TrackerID)))
	}
	if req.IP != "" {
		param("ip", escape([]byte(req.IP)))
	}
	if req.IPv6.Is6() && !req.IPv6.Is4In6() {
		param("ipv6", escape([]byte(req.IPv6.String())))
	}
	if req.IPv4.Unmap().Is4() {
		param("ipv4", req.IPv4.Unmap().String())
	}
	return withQuery(base, q.String())
}

// scrapeRequestURL is the scrape URL for announce with one info_hash per hash.
func scrapeRequestURL(announce string, hashes [][20]byte) (string, error) {
	base, err := ScrapeURL(announce)
	if err != nil {
		return "", err
	}
	parts := make([]string, len(hashes))
	for i, h := range hashes {
		parts[i] = "info_hash=" + escape(h[:])
	}
	return withQuery(base, strings.Join(parts, "&")), nil
}

// ScrapeURL derives a tracker's scrape URL from its announce URL by the
// convention of BEP 48: the last path element must begin with "announce",
// which becomes "scrape" ("/x/announce.php?pk=1" → "/x/scrape.php?pk=1").
// Any other URL is not scrapable (tracker.ErrNotScrapable).
func ScrapeURL(announce string) (string, error) {
	u, err := url.Parse(announce)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", badURL(announce)
	}
	// Work on the raw string so that the query (a passkey) is kept exactly.
	end := len(announce)
	if i := strings.IndexAny(announce, "?#"); i >= 0 {
		end = i
	}
	slash := strings.LastIndexByte(announce[:end], '/')
	if slash < len(u.Scheme)+3 || !strings.HasPrefix(announce[slash+1:end], "announce") {
		return "", fmt.Errorf("%w: %q has no last path element \"announce\"", tracker.ErrNotScrapable, announce)
	}
	return announce[:slash+1] + "scrape" + announce[slash+1+len("announce"):], nil
}
