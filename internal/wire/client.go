package wire

import (
	"strconv"
	"strings"
)

// azureusClients are the two-letter codes of Azureus-style peer ids
// ("-LT2080-...") of the clients a swarm commonly holds (BEP 20's list).
var azureusClients = map[string]string{
	"AZ": "Azureus", "BC": "BitComet", "BT": "BitTorrent", "DE": "Deluge", "FW": "FrostWire",
	"KT": "KTorrent", "LT": "libtorrent", "lt": "libTorrent", "qB": "qBittorrent", "TR": "Transmission",
	"UT": "µTorrent", "UM": "µTorrent Mac", "WW": "WebTorrent", "BI": "BiglyBT", "TX": "Tixati",
	"AR": "actorrent", "GO": "go torrent", "AG": "Ares", "XL": "Xunlei",
}

// ClientFromPeerID names the client a peer id says it is, as libtorrent's
// identify_client does for the common styles: Azureus ("-LT2080-…":
// libtorrent 2.0.8.0), Mainline ("M4-3-6--…": Mainline 4.3.6) and
// aria2 ("A2-1-36-0-…": aria2 1.36.0). Unknown ids give "".
func ClientFromPeerID(id [20]byte) string {
	s := string(id[:])
	switch {
	case s[0] == '-' && s[7] == '-':
		name, ok := azureusClients[s[1:3]]
		if !ok {
			return ""
		}
		var v []string
		for _, c := range s[3:7] {
			v = append(v, versionDigit(c))
		}
		return name + " " + strings.Join(v, ".")
	case strings.HasPrefix(s, "A2-"):
		parts := strings.SplitN(s[3:], "-", 4)
		if len(parts) < 3 {
			return ""
		}
		return "aria2 " + strings.Join(parts[:3], ".")
	case (s[0] == 'M' || s[0] == 'Q') && s[2] == '-':
		parts := strings.SplitN(s[1:], "-", 5)
		if len(parts) < 4 || !numeric(parts[0]) || !numeric(parts[1]) || !numeric(parts[2]) {
			return ""
		}
		name := "Mainline"
		if s[0] == 'Q' {
			name = "Queen Bee"
		}
		return name + " " + strings.Join(parts[:3], ".")
	}
	return ""
}

// versionDigit reads one Azureus version character: 0-9, then A-Z for
// 10-35 (libtorrent's decode_digit).
func versionDigit(c rune) string {
	switch {
	case c >= '0' && c <= '9':
		return string(c)
	case c >= 'A' && c <= 'Z':
		return strconv.Itoa(int(c-'A') + 10)
	case c >= 'a' && c <= 'z':
		return strconv.Itoa(int(c-'a') + 36)
	}
	return "0"
}

func numeric(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
