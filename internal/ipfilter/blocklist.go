package ipfilter

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// Limits bound what LoadBlocklist takes from a file, so that a hostile or
// broken list (a gzip bomb, a binary file, a list of millions of ranges)
// costs bounded time and memory. A zero field takes its default.
type Limits struct {
	// MaxBytes bounds the bytes read after decompression; more is
	// ErrTooLarge. Default DefaultMaxBytes.
	MaxBytes int64
	// MaxLineLength bounds a line, line break excluded; a longer line is
	// skipped like a malformed one. Default DefaultMaxLineLength.
	MaxLineLength int
	// MaxRules bounds the ranges loaded; more is ErrTooManyRules. Default
	// DefaultMaxRules.
	MaxRules int
}

// The default Limits: several times the largest lists users load (the
// merged iblocklist lists are a few hundred thousand lines, tens of MB),
// while a load at the limits stays under a few hundred MB of memory.
const (
	DefaultMaxBytes      = 128 << 20
	DefaultMaxLineLength = 4 << 10
	DefaultMaxRules      = 2 << 20
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxLineLength <= 0 {
		l.MaxLineLength = DefaultMaxLineLength
	}
	if l.MaxRules <= 0 {
		l.MaxRules = DefaultMaxRules
	}
	return l
}

// LoadStats counts what LoadBlocklist read.
type LoadStats struct {
	Lines        int // lines read, blank lines and comments included
	Rules        int // ranges loaded (eMule lines with a blocking level included)
	Ignored      int // well-formed eMule lines whose level (128 or more) does not block
	Skipped      int // malformed or too long lines
	FirstSkipped int // the line number (from 1) of the first skipped line, 0 if none
}

// Errors of LoadBlocklist, besides the reader's own.
var (
	ErrTooLarge     = errors.New("ipfilter: blocklist larger than Limits.MaxBytes")
	ErrTooManyRules = errors.New("ipfilter: blocklist has more ranges than Limits.MaxRules")
	ErrUnsupported  = errors.New("ipfilter: unsupported blocklist file")
)

// archiveMagics are the starts of files users download blocklists as that
// LoadBlocklist cannot read: said plainly rather than counted as one
// malformed line after another.
var archiveMagics = []struct {
	magic, what string
}{
	{"PK\x03\x04", "a zip archive (extract the list first)"},
	{"7z\xbc\xaf\x27\x1c", "a 7z archive (extract the list first)"},
	{"\xff\xff\xff\xffP2B", "a PeerGuardian binary .p2b list (use the P2P text list)"},
}

// LoadBlocklist reads a blocklist and blocks its ranges (flags Blocked),
// in file order, as AddRules would. Every line may be in any of the
// formats users have (see parseLine: eMule .dat, P2P plaintext, CIDR);
// the file may be gzipped (detected by its magic bytes, not its name). A
// malformed line is skipped and counted, never fatal.
//
// It changes f only when it returns no error: an error from the reader, a
// corrupt gzip stream, or a limit of lim exceeded leaves f as it was.
func (f *IPFilter) LoadBlocklist(r io.Reader, lim Limits) (LoadStats, error) {
	lim = lim.withDefaults()
	var st LoadStats
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(8) // a short read shows in the first ReadSlice
	for _, m := range archiveMagics {
		if bytes.HasPrefix(head, []byte(m.magic)) {
			return st, fmt.Errorf("%w: this is %s", ErrUnsupported, m.what)
		}
	}
	var src io.Reader = br
	if bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return st, fmt.Errorf("ipfilter: blocklist: gzip: %w", err)
		}
		defer gz.Close()
		src = gz
	}
	lines := bufio.NewReaderSize(&capReader{r: src, limit: lim.MaxBytes, left: lim.MaxBytes}, max(64<<10, lim.MaxLineLength+2))

	var r4 []rule[v4key]
	var r6 []rule[v6key]
	skip := func() {
		st.Skipped++
		if st.FirstSkipped == 0 {
			st.FirstSkipped = st.Lines
		}
	}
	for {
		line, err := lines.ReadSlice('\n')
		tooLong := false
		for err == bufio.ErrBufferFull { // drop the rest of an endless line
			tooLong = true
			_, err = lines.ReadSlice('\n')
		}
		if len(line) == 0 && err != nil {
			if err == io.EOF {
				break
			}
			return st, readError(err)
		}
		st.Lines++
		if st.Lines == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
		}
		line = bytes.TrimRight(line, "\r\n")
		if tooLong || len(line) > lim.MaxLineLength {
			skip()
		} else {
			first, last, kind := parseLine(line)
			switch kind {
			case lineBad:
				skip()
			case lineIgnored:
				st.Ignored++
			case lineRule:
				if st.Rules++; st.Rules > lim.MaxRules {
					return st, fmt.Errorf("%w (%d)", ErrTooManyRules, lim.MaxRules)
				}
				if first.Is4() {
					r4 = append(r4, rule[v4key]{v4From(first), v4From(last), Blocked})
				} else {
					r6 = append(r6, rule[v6key]{v6From(first), v6From(last), Blocked})
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return st, readError(err)
		}
	}
	f.v4.apply(r4)
	f.v6.apply(r6)
	return st, nil
}

func readError(err error) error {
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	return fmt.Errorf("ipfilter: reading blocklist: %w", err)
}

// capReader reads at most limit bytes from r and fails with ErrTooLarge
// if r has more, so that a gzip bomb stops after limit bytes of output.
type capReader struct {
	r           io.Reader
	limit, left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, err := io.ReadFull(c.r, one[:]); n == 0 {
			return 0, err // io.EOF: exactly at the limit
		}
		return 0, fmt.Errorf("%w (%d bytes)", ErrTooLarge, c.limit)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
