package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrUsage means the command line is unusable.
var ErrUsage = errors.New("bench: bad usage")

// Sides a run can measure; -only picks one of them.
const (
	sideOurs       = "ours"
	sideLibtorrent = "libtorrent"
)

// The bench lines, by name; -lines picks some of them.
const (
	lineDownload      = "download_tcp_1gib"
	lineRecheckSingle = "recheck_1gib_single"
	lineRecheckMulti  = "recheck_1gib_multi"
)

var allLines = []string{lineDownload, lineRecheckSingle, lineRecheckMulti, lineIPFilter, lineRateLimit,
	lineScaleAdd, lineScaleIdle, lineScaleStatus, lineScaleClose, lineSeedToLT, lineSwarmRateLimited, lineSwarm20,
	lineStorms, lineUTPFromLT, lineUTPvsTCP, lineUTPFromLTLossy, lineDHTMagnet}

// config is the parsed command line.
type config struct {
	lines      map[string]bool // the lines to run; nil means all
	runs       int             // downloads per side
	size       int64           // payload bytes
	dir        string          // parent of the bench's temp dir
	only       string          // "", sideOurs or sideLibtorrent
	cpuProfile string          // directory for our runs' CPU profiles, or ""
	timeout    time.Duration   // bound on one download
	demo       string          // prebuilt demo binary, or "" to build cmd/demo
	noPrime    bool            // skip primePages before each download
}

// parseFlags parses args (without the program name).
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.runs, "runs", 3, "downloads per side (medians are over these)")
	size := fs.String("size", "1GiB", "payload size: bytes or a number with B, KiB, MiB or GiB")
	fs.StringVar(&c.dir, "dir", "", "directory for the bench's temp dir (default os.TempDir())")
	fs.StringVar(&c.only, "only", "", "measure only one side: ours or libtorrent")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "directory: our runs write DIR/ours-N.prof (hostile_storms_cpu: our seeders, DIR/storm-NAME-N.prof)")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Minute, "bound on one download")
	fs.BoolVar(&c.noPrime, "no-prime", false, "do not write and free a payload's worth of page cache before each download (see prime.go)")
	fs.StringVar(&c.demo, "demo", "", "use this demo binary instead of building ./cmd/demo (e.g. to compare builds)")
	lines := fs.String("lines", "", "comma-separated lines to run (default all): "+strings.Join(allLines, ", "))
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if *lines != "" {
		c.lines = map[string]bool{}
		for _, l := range strings.Split(*lines, ",") {
			l = strings.TrimSpace(l)
			if !slices.Contains(allLines, l) {
				return c, fmt.Errorf("%w: -lines: unknown line %q (known: %s)", ErrUsage, l, strings.Join(allLines, ", "))
			}
			c.lines[l] = true
		}
	}
	if fs.NArg() != 0 {
		return c, fmt.Errorf("%w: unexpected arguments %q", ErrUsage, fs.Args())
	}
	if c.runs < 1 {
		return c, fmt.Errorf("%w: -runs must be at least 1", ErrUsage)
	}
	if c.timeout <= 0 {
		return c, fmt.Errorf("%w: -timeout must be positive", ErrUsage)
	}
	switch c.only {
	case "", sideOurs, sideLibtorrent:
	default:
		return c, fmt.Errorf("%w: -only must be ours or libtorrent, not %q", ErrUsage, c.only)
	}
	n, err := parseSize(*size)
	if err != nil {
		return c, err
	}
	c.size = n
	return c, nil
}

// wants reports whether side is measured.
func (c config) wants(side string) bool { return c.only == "" || c.only == side }

// runsLine reports whether the bench line called name is run.
func (c config) runsLine(name string) bool { return c.lines == nil || c.lines[name] }

// sizeUnits are binary multiples, longest suffix first so "MiB" is not
// read as "B".
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1},
}

// parseSize reads "1GiB", "128MiB", "64K" or a plain byte count. Units are
// binary: the bench's names (download_tcp_1gib) are.
func parseSize(s string) (int64, error) {
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<50)/mult {
		return 0, fmt.Errorf("%w: size %q is not a positive byte count like 1GiB or 128MiB", ErrUsage, s)
	}
	return n * mult, nil
}
