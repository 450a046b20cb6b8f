package interop

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// TransmissionOptions configure one transmission-cli run.
type TransmissionOptions struct {
	// Torrent is the .torrent path (required).
	Torrent string
	// Dir is the data directory (required), as Aria2Options.Dir.
	Dir string
}

// Transmission is one running transmission-cli. It checks what Dir holds
// and then seeds what it has and downloads the rest, until Stop: the same
// run is a seeder or a downloader by what is in Dir.
//
// Transmission 3.00 never connects to a peer on 127.0.0.0/8 (its
// isMartianAddr drops them from tracker replies and refuses to dial them)
// but accepts connections from there: our side must dial it, at Addr.
type Transmission struct {
	p    *clientProc
	port int
	// checked is the index of the output line after the check of Dir.
	checked int
}

// TransmissionAvailable reports nil when transmission-cli is installed;
// the probe runs once.
func TransmissionAvailable() error {
	transmissionOnce.Do(func() {
		if _, err := exec.LookPath("transmission-cli"); err != nil {
			transmissionErr = fmt.Errorf("%w: transmission-cli not found (apt-get install -y transmission-cli)", ErrUnavailable)
		}
	})
	return transmissionErr
}

var (
	transmissionOnce sync.Once
	transmissionErr  error
)

// Lines of transmission-cli's output (message-level 3) the harness waits
// for. The finish script prints the last one.
const (
	transmissionBindFailed = "Couldn't bind port"
	transmissionChecked    = "Verification is done"
	transmissionFinished   = "ACTORRENT-TRANSMISSION-FINISHED"
)

// StartTransmission starts transmission-cli for o on 127.0.0.1 only (no
// DHT, LSD, PEX, uTP or port mapping; its configuration in a run
// directory of its own) and returns once it has checked Dir, so that it
// serves what it has. ctx bounds the start only.
func StartTransmission(ctx context.Context, o TransmissionOptions) (*Transmission, error) {
	if err := TransmissionAvailable(); err != nil {
		return nil, err
	}
	if o.Torrent == "" || o.Dir == "" {
		return nil, fmt.Errorf("%w: transmission-cli needs Torrent and Dir", ErrBadOptions)
	}
	var lastErr error
	for attempt := 0; attempt < startAttempts; attempt++ {
		t, err := startTransmissionOnce(ctx, o)
		if err == nil {
			return t, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, lastErr
}

// startTransmissionOnce tries one port; it fails when transmission-cli
// cannot bind it (someone took it after FreePort).
func startTransmissionOnce(ctx context.Context, o TransmissionOptions) (*Transmission, error) {
	torrent, err := filepath.Abs(o.Torrent)
	if err == nil {
		o.Dir, err = filepath.Abs(o.Dir)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadOptions, err)
	}
	port, err := FreePort("tcp")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "actorrent-transmission-")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	script, err := writeTransmissionConfig(dir, port)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	p, err := startClient("transmission-cli", dir, "transmission-cli",
		"-g", filepath.Join(dir, "config"), "-w", o.Dir, "-p", strconv.Itoa(port),
		"-M", "-D", "-U", "-et", "-f", script, torrent)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	t := &Transmission{p: p, port: port}
	line, next, err := p.waitLine(ctx, 0, "the check of its files", func(l string) bool {
		return strings.Contains(l, transmissionChecked) || strings.Contains(l, transmissionBindFailed)
	})
	if err == nil && strings.Contains(line, transmissionBindFailed) {
		err = fmt.Errorf("port %d: %s", port, line)
	}
	if err != nil {
		_ = t.Stop()
		return nil, fmt.Errorf("%w: %w", ErrStart, err)
	}
	t.checked = next
	return t, nil
}

// writeTransmissionConfig writes settings.json (read from -g DIR) and the
// finish script into the run directory dir, and returns the script's path.
func writeTransmissionConfig(dir string, port int) (string, error) {
	settings := map[string]any{
		"dht-enabled": false, "pex-enabled": false, "lpd-enabled": false, "utp-enabled": false,
		"port-forwarding-enabled": false, "rpc-enabled": false, "blocklist-enabled": false,
		"bind-address-ipv4": "127.0.0.1", "bind-address-ipv6": "::1", "peer-port": port,
		// Plaintext first: our engine has no MSE yet.
		"encryption":               0,
		"speed-limit-down-enabled": false, "speed-limit-up-enabled": false,
		"ratio-limit-enabled": false, "idle-seeding-limit-enabled": false,
		// 3: debug, which is where "Verification is done" is logged.
		"message-level": 3,
	}
	b, err := json.Marshal(settings)
	if err == nil {
		err = os.MkdirAll(filepath.Join(dir, "config"), 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "config", "settings.json"), b, 0o644)
	}
	script := filepath.Join(dir, "finished.sh")
	if err == nil {
		// Its output goes where transmission-cli's goes: to the harness.
		err = os.WriteFile(script, []byte("#!/bin/sh\necho "+transmissionFinished+" \"$TR_TORRENT_NAME\"\n"), 0o755)
	}
	if err != nil {
		return "", fmt.Errorf("%w: transmission config: %v", ErrStart, err)
	}
	return script, nil
}

// Port is the TCP port transmission-cli accepts peers on.
func (t *Transmission) Port() int { return t.port }

// Addr is "127.0.0.1:PORT", for our side to dial.
func (t *Transmission) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(t.port)) }

// WaitFinished waits until a downloader has every piece (its finish script
// ran). It keeps running, seeding: Stop it before reading its files, so
// that it writes out its cache and closes them.
func (t *Transmission) WaitFinished(ctx context.Context) error {
	_, _, err := t.p.waitLine(ctx, t.checked, "the finish script", func(l string) bool {
		return strings.HasPrefix(l, transmissionFinished)
	})
	return err
}

// Exited is closed once the process has exited.
func (t *Transmission) Exited() <-chan struct{} { return t.p.done }

// Log is transmission-cli's output, for test failure messages.
func (t *Transmission) Log() string { return t.p.log() }

// Stop ends transmission-cli (SIGTERM: it saves and closes its files; then
// SIGKILL) and removes its run directory; see clientProc.stop.
func (t *Transmission) Stop() error { return t.p.stop() }
