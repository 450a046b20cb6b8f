package ipfilter

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
)

// blockedStrings renders the ranges with non-zero flags as "first-last".
func blockedStrings(rs []IPRange) []string {
	var out []string
	for _, r := range rs {
		if r.Flags != 0 {
			out = append(out, fmt.Sprintf("%v-%v", r.First, r.Last))
		}
	}
	return out
}

func TestLoadBlocklistSamples(t *testing.T) {
	p2pV4 := []string{"1.2.4.0-1.2.5.20", "3.0.0.0-3.0.0.255", "4.0.0.0-4.0.0.7", "5.0.0.1-5.0.0.1"}
	p2pV6 := []string{"::1-::1", "2001:db8::-2001:db8::ffff", "2001:db8:1::-2001:db8:1::ff"}
	p2pStats := LoadStats{Lines: 16, Rules: 9, Skipped: 4, FirstSkipped: 13}
	tests := []struct {
		file   string
		stats  LoadStats
		v4, v6 []string
	}{
		{"sample.p2p", p2pStats, p2pV4, p2pV6},
		{"sample.p2p.gz", p2pStats, p2pV4, p2pV6},
		{"sample.dat", LoadStats{Lines: 12, Rules: 6, Ignored: 2, Skipped: 2, FirstSkipped: 11},
			[]string{"1.2.3.0-1.2.3.255", "10.0.0.0-10.0.0.255", "10.0.3.0-10.0.3.9", "10.0.4.0-10.0.4.9", "10.0.5.0-10.0.5.9"},
			[]string{"2001:db8::-2001:db8::ff"}},
		{"sample.cidr", LoadStats{Lines: 9, Rules: 5, Skipped: 3, FirstSkipped: 7},
			[]string{"100.64.0.0-100.64.255.255", "192.0.2.0-192.0.2.255", "198.51.100.4-198.51.100.7", "203.0.113.9-203.0.113.9"},
			[]string{"2001:db8:abcd::-2001:db8:abcd:ffff:ffff:ffff:ffff:ffff"}},
		{"sample-crlf.p2p", LoadStats{Lines: 6, Rules: 4}, []string{"6.0.0.0-6.0.3.255"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fh, err := os.Open("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			var f IPFilter
			st, err := f.LoadBlocklist(fh, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if st != tt.stats {
				t.Errorf("stats %+v, want %+v", st, tt.stats)
			}
			checkFilter(t, &f)
			v4, v6 := f.Export()
			if got := blockedStrings(v4); !slices.Equal(got, tt.v4) {
				t.Errorf("v4 blocked\n got %q\nwant %q", got, tt.v4)
			}
			if got := blockedStrings(v6); !slices.Equal(got, tt.v6) {
				t.Errorf("v6 blocked\n got %q\nwant %q", got, tt.v6)
			}
		})
	}
}

// TestLoadBlocklistOverwrites: loaded ranges are rules added after the
// filter's own, so they win where they overlap.
func TestLoadBlocklistOverwrites(t *testing.T) {
	var f IPFilter
	must(t, f.AddRule(netip.MustParseAddr("1.0.0.0"), netip.MustParseAddr("1.0.0.255"), 4))
	if _, err := f.LoadBlocklist(strings.NewReader("x:1.0.0.10-1.0.0.19\n"), Limits{}); err != nil {
		t.Fatal(err)
	}
	v4, _ := f.Export()
	want := []string{"0.0.0.0-0.255.255.255=0", "1.0.0.0-1.0.0.9=4", "1.0.0.10-1.0.0.19=1", "1.0.0.20-1.0.0.255=4", "1.0.1.0-255.255.255.255=0"}
	if got := rangeStrings(v4); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	must(t, zw.Close())
	return buf.Bytes()
}

// endless yields n bytes of c and then EOF, without holding them.
type endless struct {
	c byte
	n int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, io.EOF
	}
	chunk := bytes.Repeat([]byte{e.c}, 4096)
	n := copy(p[:min(int64(len(p)), e.n)], chunk)
	e.n -= int64(n)
	return n, nil
}

func TestLoadBlocklistLimits(t *testing.T) {
	line := "x:1.2.3.4-1.2.3.5\n"
	tests := []struct {
		name  string
		input func(t *testing.T) io.Reader
		lim   Limits
		err   error
		stats LoadStats // checked when err is nil
	}{
		{"exactly MaxBytes", func(*testing.T) io.Reader { return strings.NewReader(line) },
			Limits{MaxBytes: int64(len(line))}, nil, LoadStats{Lines: 1, Rules: 1}},
		{"one byte over MaxBytes", func(*testing.T) io.Reader { return strings.NewReader(line + "\n") },
			Limits{MaxBytes: int64(len(line))}, ErrTooLarge, LoadStats{}},
		{"gzip bomb", func(t *testing.T) io.Reader {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = io.Copy(zw, &endless{'\n', 4 << 20}) // 4 MiB of blank lines in ~4 KiB
			must(t, zw.Close())
			return &buf
		}, Limits{MaxBytes: 1 << 20}, ErrTooLarge, LoadStats{}},
		{"long line skipped", func(*testing.T) io.Reader {
			return strings.NewReader("x" + strings.Repeat("y", 100) + ":1.2.3.4-1.2.3.5\n" + line)
		}, Limits{MaxLineLength: 100}, nil, LoadStats{Lines: 2, Rules: 1, Skipped: 1, FirstSkipped: 1}},
		{"line of MaxLineLength kept", func(*testing.T) io.Reader {
			return strings.NewReader(strings.Repeat("y", 100-len(line)+1) + line + "\r\n")
		}, Limits{MaxLineLength: 100}, nil, LoadStats{Lines: 2, Rules: 1}},
		{"endless line skipped", func(*testing.T) io.Reader {
			return io.MultiReader(&endless{'z', 1 << 20}, strings.NewReader(line+line))
		}, Limits{}, nil, LoadStats{Lines: 2, Rules: 1, Skipped: 1, FirstSkipped: 1}},
		{"MaxRules reached", func(*testing.T) io.Reader { return strings.NewReader(line + line) },
			Limits{MaxRules: 2}, nil, LoadStats{Lines: 2, Rules: 2}},
		{"MaxRules exceeded", func(*testing.T) io.Reader { return strings.NewReader(line + line + line) },
			Limits{MaxRules: 2}, ErrTooManyRules, LoadStats{}},
		{"zip archive", func(*testing.T) io.Reader { return strings.NewReader("PK\x03\x04rest") },
			Limits{}, ErrUnsupported, LoadStats{}},
		{"p2b list", func(*testing.T) io.Reader { return strings.NewReader("\xff\xff\xff\xffP2B\x02") },
			Limits{}, ErrUnsupported, LoadStats{}},
		{"truncated gzip", func(t *testing.T) io.Reader {
			z := gzipped(t, []byte(strings.Repeat(line, 100)))
			return bytes.NewReader(z[:len(z)-10])
		}, Limits{}, io.ErrUnexpectedEOF, LoadStats{}},
		{"corrupt gzip", func(t *testing.T) io.Reader {
			z := gzipped(t, []byte(strings.Repeat(line, 100)))
			z[len(z)-5] ^= 0xff // the length in the trailer
			return bytes.NewReader(z)
		}, Limits{}, gzip.ErrChecksum, LoadStats{}},
		{"gzip magic alone", func(*testing.T) io.Reader { return strings.NewReader("\x1f\x8b") },
			Limits{}, io.ErrUnexpectedEOF, LoadStats{}},
		{"empty", func(*testing.T) io.Reader { return strings.NewReader("") }, Limits{}, nil, LoadStats{}},
		{"binary", func(*testing.T) io.Reader { return strings.NewReader("\x00\x01\x02\n\xfe\xfd") },
			Limits{}, nil, LoadStats{Lines: 2, Skipped: 2, FirstSkipped: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f IPFilter
			must(t, f.AddRule(netip.MustParseAddr("9.9.9.9"), netip.MustParseAddr("9.9.9.9"), Blocked))
			before := f.Clone()
			st, err := f.LoadBlocklist(tt.input(t), tt.lim)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err %v, want %v", err, tt.err)
				}
				if !f.Equal(before) {
					t.Error("a failed load changed the filter")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st != tt.stats {
				t.Errorf("stats %+v, want %+v", st, tt.stats)
			}
			got, want := f.Access(netip.MustParseAddr("1.2.3.4")) == Blocked, tt.stats.Rules > 0
			if got != want {
				t.Errorf("1.2.3.4 blocked: %v, want %v", got, want)
			}
		})
	}
}
