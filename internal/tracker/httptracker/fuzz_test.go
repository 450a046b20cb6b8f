package httptracker

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/tracker"
)

// Seeds beyond the committed corpus (testdata/fuzz/<Name>/), which holds the
// realistic replies; these are the hostile shapes.
var fuzzHostile = []string{
	"", "de", "d5:peers", "d5:peers999999999:e", "d8:intervali-1e5:peersi1ee",
	"d5:peersld2:ip3:::14:porti1eeee", "d14:failure reasonle8:retry in5:nevere",
	"d5:filesd20:aaaaaaaaaaaaaaaaaaaad8:completei1eeee", "ld5:filesdeee",
}

// checkErr fails unless err is nil, a failure reason or an invalid response:
// whatever the bytes, a parser must say one of those, never panic.
func checkErr(t *testing.T, err error) {
	t.Helper()
	var fe *tracker.FailureError
	if err != nil && !errors.As(err, &fe) && !errors.Is(err, tracker.ErrInvalidResponse) {
		t.Fatalf("unclassified error: %v", err)
	}
}

func FuzzParseAnnounce(f *testing.F) {
	for _, s := range append(fuzzHostile, opentrackerReply, dictPeersReply, failureReply) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := ParseAnnounce(body)
		checkErr(t, err)
		if err != nil {
			if r.Peers != nil || r.Complete != -1 {
				t.Fatalf("error with a response: %+v", r)
			}
			return
		}
		if r.Interval < 0 || r.MinInterval < 0 || r.Complete < -1 || r.Incomplete < -1 || r.Downloaded < -1 {
			t.Fatalf("negative fields: %+v", r)
		}
		if len(r.Peers) > maxPeers || len(r.Peers) > len(body)/6 {
			t.Fatalf("%d peers from %d bytes", len(r.Peers), len(body))
		}
		for _, p := range r.Peers {
			if !p.IsValid() || p.Port() == 0 || p.Addr().IsUnspecified() || p.Addr().Is4In6() || p.Addr().Zone() != "" {
				t.Fatalf("bad peer %v", p)
			}
		}
		if len(r.Warning) > maxText+3 {
			t.Fatalf("warning of %d bytes", len(r.Warning))
		}
	})
}

func FuzzParseScrape(f *testing.F) {
	for _, s := range append(fuzzHostile, failureReply) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := ParseScrape(body)
		checkErr(t, err)
		if err != nil {
			if m != nil {
				t.Fatal("error with a result")
			}
			return
		}
		if len(m) > len(body)/23 {
			t.Fatalf("%d torrents from %d bytes", len(m), len(body))
		}
		for _, r := range m {
			if r.Complete < -1 || r.Incomplete < -1 || r.Downloaded < -1 {
				t.Fatalf("bad counts %+v", r)
			}
		}
	})
}

// TestCorpusIsRealistic keeps the committed seed corpus meaningful: every
// entry is valid bencode that parses to a reply or a failure reason.
func TestCorpusIsRealistic(t *testing.T) {
	for name, parse := range map[string]func([]byte) error{
		"FuzzParseAnnounce": func(b []byte) error { _, err := ParseAnnounce(b); return err },
		"FuzzParseScrape":   func(b []byte) error { _, err := ParseScrape(b); return err },
	} {
		files, err := filepath.Glob(filepath.Join("testdata", "fuzz", name, "*"))
		if err != nil || len(files) < 3 {
			t.Fatalf("%s: %d corpus files, %v", name, len(files), err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(data)), "\n")
			if len(lines) != 2 || lines[0] != "go test fuzz v1" ||
				!strings.HasPrefix(lines[1], "[]byte(") || !strings.HasSuffix(lines[1], ")") {
				t.Fatalf("%s: not a one-value corpus file", file)
			}
			body, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if err := parse([]byte(body)); errors.Is(err, tracker.ErrInvalidResponse) {
				t.Errorf("%s: %v", file, err)
			}
		}
	}
}
