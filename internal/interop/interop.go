// Package interop is a test-only harness that drives real third-party
// BitTorrent software on 127.0.0.1: libtorrent 2.0 (through the embedded
// Python script lt_peer.py run under /usr/bin/python3), opentracker, and
// the command-line clients aria2c (aria2.go) and transmission-cli
// (transmission.go).
//
// It lives in normal .go files so that tests of other packages can import
// it. Every process it starts is put in its own process group and killed
// as a group by Stop, and every wait is bounded by a context, so a failing
// test never leaves processes behind. Nothing here ever talks to an address
// other than 127.0.0.1 (and, for LSD, its multicast group on loopback in a
// network namespace of the test's own: InOwnNetns).
package interop

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Python is the interpreter that can import Debian's python3-libtorrent; a
// python3 found on PATH (a venv, say) usually cannot.
const Python = "/usr/bin/python3"

// OpentrackerPath is where Debian's opentracker package installs the binary.
const OpentrackerPath = "/usr/bin/opentracker"

// ltPeerScript is written to a fresh temporary directory for every run,
// because python needs a file path and the test binary has no source tree.
//
//go:embed lt_peer.py
var ltPeerScript []byte

// Sentinel errors; all returned errors wrap one of these.
var (
	// ErrUnavailable means libtorrent or opentracker is not installed.
	ErrUnavailable = errors.New("interop: tool unavailable")
	// ErrBadOptions means the Options (or helper arguments) are unusable.
	ErrBadOptions = errors.New("interop: bad options")
	// ErrExited means the process exited before the awaited event.
	ErrExited = errors.New("interop: process exited")
	// ErrStart means a process could not be started or did not get ready.
	ErrStart = errors.New("interop: start failed")
	// ErrTreesDiffer means CompareTrees found a difference.
	ErrTreesDiffer = errors.New("interop: trees differ")
	// ErrBadPayload means MakePayload was given an unusable file spec.
	ErrBadPayload = errors.New("interop: bad payload spec")
)

var (
	availableOnce sync.Once
	availableErr  error
	otOnce        sync.Once
	otErr         error
)

// Available reports nil when libtorrent imports under Python. The probe runs
// once per test binary; its result is cached.
func Available() error {
	availableOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, Python, "-c", "import libtorrent; print(libtorrent.__version__)")
		out, err := cmd.CombinedOutput()
		if err != nil {
			availableErr = fmt.Errorf("%w: %s cannot import libtorrent (apt-get install -y python3-libtorrent): %v: %s",
				ErrUnavailable, Python, err, strings.TrimSpace(string(out)))
		}
	})
	return availableErr
}

// OpentrackerAvailable reports nil when the opentracker binary is installed.
// The result is cached.
func OpentrackerAvailable() error {
	otOnce.Do(func() {
		st, err := os.Stat(OpentrackerPath)
		if err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0 {
			return
		}
		if p, lerr := exec.LookPath("opentracker"); lerr == nil {
			opentrackerBin = p
			return
		}
		otErr = fmt.Errorf("%w: %s not found (apt-get install -y opentracker)", ErrUnavailable, OpentrackerPath)
	})
	return otErr
}

// opentrackerBin is the binary StartOpentracker runs; OpentrackerAvailable
// may switch it to one found on PATH.
var opentrackerBin = OpentrackerPath
