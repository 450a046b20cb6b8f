package bencodex

import (
	"errors"
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	small := Limits{MaxDepth: 3, MaxStringLen: 5, MaxItems: 6, MaxSize: 40}
	tests := []struct {
		name    string
		in      string
		lim     Limits
		wantEnd int
		wantErr error
	}{
		{"int", "i42e", DefaultLimits, 4, nil},
		{"zero", "i0e", DefaultLimits, 3, nil},
		{"negative", "i-7e", DefaultLimits, 4, nil},
		{"max int64", "i9223372036854775807e", DefaultLimits, 21, nil},
		{"min int64", "i-9223372036854775808e", DefaultLimits, 22, nil},
		{"int64 overflow", "i9223372036854775808e", DefaultLimits, 0, ErrIntOverflow},
		{"int64 underflow", "i-9223372036854775809e", DefaultLimits, 0, ErrIntOverflow},
		{"uint64 overflow", "i99999999999999999999999e", DefaultLimits, 0, ErrIntOverflow},
		{"leading zero", "i03e", DefaultLimits, 0, ErrSyntax},
		{"minus zero", "i-0e", DefaultLimits, 0, ErrSyntax},
		{"empty int", "ie", DefaultLimits, 0, ErrSyntax},
		{"lone minus", "i-e", DefaultLimits, 0, ErrSyntax},
		{"int junk", "i1xe", DefaultLimits, 0, ErrSyntax},
		{"unterminated int", "i12", DefaultLimits, 0, ErrSyntax},
		{"string", "4:spam", DefaultLimits, 6, nil},
		{"empty string", "0:", DefaultLimits, 2, nil},
		{"string leading zero", "04:spam", DefaultLimits, 0, ErrSyntax},
		{"short string", "5:spam", DefaultLimits, 0, ErrSyntax},
		{"huge length fails fast", "999999999:x", DefaultLimits, 0, ErrStringTooLong},
		{"huge length overflow", "99999999999999999999999:x", DefaultLimits, 0, ErrStringTooLong},
		{"length without colon", "4spam", DefaultLimits, 0, ErrSyntax},
		{"list", "l4:spami1ee", DefaultLimits, 11, nil},
		{"empty list", "le", DefaultLimits, 2, nil},
		{"dict", "d3:cow3:moo4:spam4:eggse", DefaultLimits, 24, nil},
		{"unsorted dict ok", "d1:bi1e1:ai2ee", DefaultLimits, 14, nil},
		{"duplicate keys ok", "d1:ai1e1:ai2ee", DefaultLimits, 14, nil},
		{"int key", "di1ei2ee", DefaultLimits, 0, ErrSyntax},
		{"list key", "dlei2ee", DefaultLimits, 0, ErrSyntax},
		{"key without value", "d1:ae", DefaultLimits, 0, ErrSyntax},
		{"missing e", "l4:spam", DefaultLimits, 0, ErrSyntax},
		{"stray e", "e", DefaultLimits, 0, ErrSyntax},
		{"bad prefix", "x", DefaultLimits, 0, ErrSyntax},
		{"empty input", "", DefaultLimits, 0, ErrSyntax},
		{"trailing rejected", "i1eX", DefaultLimits, 0, ErrTrailing},
		{"trailing allowed", "i1eX", Limits{AllowTrailing: true}, 3, nil},
		{"zero limits mean default", "l" + "le" + "e", Limits{}, 4, nil},
		{"depth at limit", "llleee", small, 6, nil},
		{"too deep", "lllleeee", small, 0, ErrTooDeep},
		{"string at limit", "5:abcde", small, 7, nil},
		{"string too long", "6:abcdef", small, 0, ErrStringTooLong},
		{"items at limit", "li1ei2ei3ei4ei5ee", small, 17, nil},
		{"too many items", "li1ei2ei3ei4ei5ei6ee", small, 0, ErrTooManyItems},
		{"too large", strings.Repeat(" ", 41), small, 0, ErrTooLarge},
		{"list bomb", strings.Repeat("l", 10000), DefaultLimits, 0, ErrTooDeep},
		{"nested dict values", "d1:ad1:bl1:cee1:di0ee", DefaultLimits, 21, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			end, err := Scan([]byte(tc.in), tc.lim)
			if !errors.Is(err, tc.wantErr) || (err != nil) != (tc.wantErr != nil) {
				t.Fatalf("Scan(%q) err = %v, want %v", tc.in, err, tc.wantErr)
			}
			if end != tc.wantEnd {
				t.Fatalf("Scan(%q) = %d, want %d", tc.in, end, tc.wantEnd)
			}
		})
	}
}

func TestScanErrorSaysOffset(t *testing.T) {
	_, err := Scan([]byte("li1ei03ee"), DefaultLimits)
	if err == nil || !strings.Contains(err.Error(), "offset 4") {
		t.Fatalf("err = %v, want mention of offset 4", err)
	}
}

func TestScanHugeNestingIsIterative(t *testing.T) {
	// Far deeper than any goroutine stack would allow recursively.
	const n = 2_000_000
	data := []byte(strings.Repeat("l", n) + strings.Repeat("e", n))
	end, err := Scan(data, Limits{MaxDepth: n, MaxSize: 1 << 30, MaxItems: n})
	if err != nil || end != len(data) {
		t.Fatalf("Scan = %d, %v", end, err)
	}
}
