package ipfilter

import (
	"net/netip"
	"testing"
)

func TestParseLine(t *testing.T) {
	const bad, blank, ignored = "bad", "blank", "ignored"
	tests := []struct {
		line string
		want string // "first-last", or bad, blank, ignored (then first-last is not checked)
	}{
		// blank lines and comments
		{"", blank},
		{"   \t ", blank},
		{"# comment:1.2.3.4-1.2.3.5", blank},
		{"  # indented", blank},
		{"// 001.002.003.004 - 001.002.003.005 , 000 , x", blank},
		{"/ half a comment", bad},

		// eMule .dat
		{"001.002.003.004 - 001.002.003.255 , 000 , Some org", "1.2.3.4-1.2.3.255"},
		{"010.000.000.000 - 010.255.255.255 , 127 , private", "10.0.0.0-10.255.255.255"},
		{"010.000.000.000 - 010.255.255.255 , 128 , not blocked", ignored},
		{"010.000.000.000 - 010.255.255.255 , 99999999999999999999 , huge level", ignored},
		{"010.000.000.000 - 010.255.255.255 , , empty level", "10.0.0.0-10.255.255.255"},
		{"010.000.000.000 - 010.255.255.255 , abc , not a level", "10.0.0.0-10.255.255.255"},
		{"010.000.000.000 - 010.255.255.255 , -1 , negative", "10.0.0.0-10.255.255.255"},
		{"1.2.3.4-1.2.3.5,0", "1.2.3.4-1.2.3.5"},
		{"1.2.3.4 - 1.2.3.5 ,", "1.2.3.4-1.2.3.5"},
		{"2001:db8:: - 2001:db8::ff , 0 , v6", "2001:db8::-2001:db8::ff"},
		{"1.2.3.4 - 1.2.3.5 - 1.2.3.6 , 0 , x", bad},
		{"1.2.3.4 , 0 , a single address with a comma", bad},
		{"1.2.3.4 - , 0 , no last", bad},

		// P2P
		{"Some org:1.2.3.4-1.2.3.5", "1.2.3.4-1.2.3.5"},
		{":1.2.3.4-1.2.3.5", "1.2.3.4-1.2.3.5"},
		{"1.2.3.4-1.2.3.5", "1.2.3.4-1.2.3.5"},
		{"a:b:c-d, e:1.2.3.4 - 1.2.3.5", "1.2.3.4-1.2.3.5"},
		{"Org, Inc.:1.2.3.4-1.2.3.5", "1.2.3.4-1.2.3.5"},
		{"octal-looking:010.001.001.001-010.001.001.009", "10.1.1.1-10.1.1.9"},
		{"v6 org:2001:db8::1-2001:db8::ff", "2001:db8::1-2001:db8::ff"},
		{"v6: with: colons:2001:db8::1-2001:db8::ff", "2001:db8::1-2001:db8::ff"},
		{"2001:db8::1-2001:db8::ff", "2001:db8::1-2001:db8::ff"},
		{"no hex here:::-::ff", "::-::ff"},
		{"x:::ffff:1.2.3.4-::ffff:1.2.3.9", "1.2.3.4-1.2.3.9"},
		{"x:1.2.3.9-1.2.3.4", bad},
		{"x:1.2.3.4-2001:db8::1", bad},
		{"x:2001:db8::1-1.2.3.4", bad},
		{"x:1.2.3-1.2.3.4", bad},
		{"x:1.2.3.4-", bad},
		{"x:-1.2.3.4", bad},
		{"x:fe80::1%eth0-fe80::2%eth0", bad},
		{"x:1.2.3.256-1.2.3.257", bad},
		{"x:1.2.3.4-1.2.3.4.5", bad},
		{"x:0001.2.3.4-1.2.3.5", bad},

		// CIDR and single addresses
		{"192.0.2.0/24", "192.0.2.0-192.0.2.255"},
		{"192.0.2.77/24", "192.0.2.0-192.0.2.255"},
		{"192.0.2.77 / 32", "192.0.2.77-192.0.2.77"},
		{"0.0.0.0/0", "0.0.0.0-255.255.255.255"},
		{"010.0.0.0/8", "10.0.0.0-10.255.255.255"},
		{"203.0.113.9", "203.0.113.9-203.0.113.9"},
		{"2001:db8::/32", "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"},
		{"2001:db8::/64", "2001:db8::-2001:db8::ffff:ffff:ffff:ffff"},
		{"2001:db8::/65", "2001:db8::-2001:db8::7fff:ffff:ffff:ffff"},
		{"2001:db8::1/128", "2001:db8::1-2001:db8::1"},
		{"::/0", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
		{"::ffff:10.0.0.0/104", "10.0.0.0-10.255.255.255"},
		{"10.0.0.0/33", bad},
		{"2001:db8::/129", bad},
		{"10.0.0.0/", bad},
		{"10.0.0.0/x", bad},
		{"10.0.0.0/99999999999999999999", bad},
		{"/24", bad},
		{"fe80::1%eth0", bad},
		{"not an address", bad},
		{"１.2.3.4", bad},
	}
	for _, tt := range tests {
		first, last, kind := parseLine([]byte(tt.line))
		var got string
		switch kind {
		case lineBad:
			got = bad
		case lineBlank:
			got = blank
		case lineIgnored:
			got = ignored
		default:
			got = first.String() + "-" + last.String()
		}
		if got != tt.want {
			t.Errorf("parseLine(%q) = %s, want %s", tt.line, got, tt.want)
		}
	}
}

func TestParseAddr(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when refused
	}{
		{"1.2.3.4", "1.2.3.4"},
		{"001.002.003.004", "1.2.3.4"},
		{"000.000.000.000", "0.0.0.0"},
		{"255.255.255.255", "255.255.255.255"},
		{"256.0.0.0", ""},
		{"1.2.3", ""},
		{"1.2.3.4.", ""},
		{"1..3.4", ""},
		{"+1.2.3.4", ""},
		{"1.2.3.4 ", ""}, // callers trim
		{"0x1.2.3.4", ""},
		{"::", "::"},
		{"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
		{"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
		{"fe80::1%eth0", ""},
		{"1:2:3:4:5:6:7:8:9", ""},
		{"", ""},
	}
	for _, tt := range tests {
		a, ok := parseAddr([]byte(tt.in))
		got := ""
		if ok {
			got = a.String()
		}
		if got != tt.want {
			t.Errorf("parseAddr(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestParseP2PLongestAddress documents the one ambiguity of IPv6 in P2P
// lines: a description that ends in hex words and colons reads as part of
// the address when the result is an address.
func TestParseP2PLongestAddress(t *testing.T) {
	first, _, ok := parseP2P([]byte("cafe:2001:db8::1-2001:db8::ff"))
	if want := netip.MustParseAddr("cafe:2001:db8::1"); !ok || first != want {
		t.Errorf("first = %v %v, want %v", first, ok, want)
	}
}
