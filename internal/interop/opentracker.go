package interop

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// startAttempts bounds retries when a port picked by FreePort was taken by
// someone else before opentracker could bind it.
const startAttempts = 4

// whitelistName is the whitelist file, relative to the chroot directory.
const whitelistName = "whitelist"

// Opentracker is a running opentracker on 127.0.0.1 with an HTTP (TCP)
// and a UDP port, serving only the whitelisted info-hashes.
type Opentracker struct {
	cmd      *exec.Cmd
	pid      int
	dir      string
	httpPort int
	udpPort  int
	stderr   *TailBuffer
	probe    *[20]byte // a whitelisted info-hash, to see the whitelist loaded
	done     chan struct{}
	waitErr  error // valid once done is closed
	stopOnce sync.Once
}

// StartOpentracker starts opentracker with the given info-hashes in its
// whitelist (Debian's build refuses all others) and returns once both its
// HTTP and UDP ports answer. ctx bounds the start only.
func StartOpentracker(ctx context.Context, infoHashes ...[20]byte) (*Opentracker, error) {
	if err := OpentrackerAvailable(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "actorrent-opentracker-")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	// opentracker chroots into dir and drops root before reading the
	// whitelist, so both must be world-readable.
	// The probe is this instance's own whitelisted hash: a tracker of
	// another test that took the same port (FreePort's race; the package
	// tests run in parallel and some whitelist the same hash) refuses it,
	// so readiness is only ever ours.
	var probe [20]byte
	_, _ = rand.Read(probe[:])
	var wl bytes.Buffer
	wl.WriteString(hex.EncodeToString(probe[:]) + "\n")
	for _, ih := range infoHashes {
		wl.WriteString(hex.EncodeToString(ih[:]) + "\n")
	}
	if err := os.Chmod(dir, 0o755); err == nil {
		err = os.WriteFile(filepath.Join(dir, whitelistName), wl.Bytes(), 0o644)
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("%w: whitelist: %v", ErrStart, err)
	}
	var lastErr error
	for attempt := 0; attempt < startAttempts; attempt++ {
		o, err := startOpentrackerOnce(ctx, dir, &probe)
		if err == nil {
			return o, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	_ = os.RemoveAll(dir)
	return nil, lastErr
}

// startOpentrackerOnce tries one pair of ports.
func startOpentrackerOnce(ctx context.Context, dir string, probe *[20]byte) (*Opentracker, error) {
	httpPort, err := FreePort("tcp")
	if err != nil {
		return nil, err
	}
	udpPort, err := FreePort("udp")
	if err != nil {
		return nil, err
	}
	o := &Opentracker{dir: dir, httpPort: httpPort, udpPort: udpPort, stderr: &TailBuffer{}, probe: probe, done: make(chan struct{})}
	// -i must come first: it applies to the -p/-P that follow.
	o.cmd = exec.Command(opentrackerBin,
		"-i", "127.0.0.1", "-p", strconv.Itoa(httpPort), "-P", strconv.Itoa(udpPort),
		"-d", dir, "-w", whitelistName)
	o.cmd.SysProcAttr = procAttr()
	o.cmd.Stdout = o.stderr
	o.cmd.Stderr = o.stderr
	if err := o.cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrStart, opentrackerBin, err)
	}
	o.pid = o.cmd.Process.Pid
	go func() {
		o.waitErr = o.cmd.Wait()
		close(o.done)
	}()
	if err := o.waitReady(ctx); err != nil {
		o.kill()
		return nil, err
	}
	return o, nil
}

// waitReady polls until the HTTP port accepts, the UDP port answers a
// BEP 15 connect request and the whitelist is loaded (opentracker reads it
// on a thread of its own, after it starts listening), the process exits,
// or ctx ends.
func (o *Opentracker) waitReady(ctx context.Context) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if o.tcpReady() && o.whitelistReady() && o.udpReady() && !isClosed(o.done) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: opentracker not ready: %w\n%s", ErrStart, context.Cause(ctx), o.stderr.String())
		case <-o.done:
			return fmt.Errorf("%w: opentracker exited: %v\n%s", ErrStart, o.waitErr, o.stderr.String())
		case <-tick.C:
		}
	}
}

func (o *Opentracker) tcpReady() bool {
	c, err := net.DialTimeout("tcp4", o.hostPort(o.httpPort), 200*time.Millisecond)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// udpReady sends a BEP 15 connect request, then announces the probe hash
// as a leecher and looks for the seed whitelistReady's HTTP probe
// announced (port 1): only our instance has it (opentracker's UDP side
// answers any hash, whitelisted or not, so the peer is the proof). Call
// it after whitelistReady.
func (o *Opentracker) udpReady() bool {
	c, err := net.Dial("udp4", o.hostPort(o.udpPort))
	if err != nil {
		return false
	}
	defer c.Close()
	var req [16]byte
	binary.BigEndian.PutUint64(req[0:8], 0x41727101980) // protocol id
	binary.BigEndian.PutUint32(req[8:12], 0)            // action: connect
	_, _ = rand.Read(req[12:16])
	_ = c.SetDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := c.Write(req[:]); err != nil {
		return false
	}
	var resp [64]byte
	n, err := c.Read(resp[:])
	if err != nil || n < 16 || binary.BigEndian.Uint32(resp[0:4]) != 0 || !bytes.Equal(resp[4:8], req[12:16]) {
		return false
	}
	if o.probe == nil {
		return true
	}
	var ann [98]byte
	copy(ann[0:8], resp[8:16])                         // connection id
	binary.BigEndian.PutUint32(ann[8:12], 1)           // action: announce
	_, _ = rand.Read(ann[12:16])                       // transaction id
	copy(ann[16:36], o.probe[:])                       // info-hash
	copy(ann[36:56], "-PROBE-0123456789abc")           // peer id
	binary.BigEndian.PutUint32(ann[92:96], ^uint32(0)) // num_want -1
	binary.BigEndian.PutUint64(ann[64:72], 1)          // left: a leecher, to be given seeds
	binary.BigEndian.PutUint16(ann[96:98], 2)          // port (the HTTP probe's is 1)
	if _, err := c.Write(ann[:]); err != nil {
		return false
	}
	n, err = c.Read(resp[:])
	if err != nil || n < 20 || binary.BigEndian.Uint32(resp[0:4]) != 1 || !bytes.Equal(resp[4:8], ann[12:16]) {
		return false
	}
	for i := 20; i+6 <= n; i += 6 {
		if binary.BigEndian.Uint16(resp[i+4:i+6]) == 1 {
			return true // the HTTP probe's seed
		}
	}
	return false
}

func (o *Opentracker) hostPort(p int) string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(p))
}

// HTTPAnnounceURL is "http://127.0.0.1:P/announce". The /announce path also
// satisfies libtorrent's SSRF rule for trackers on loopback.
func (o *Opentracker) HTTPAnnounceURL() string {
	return "http://" + o.hostPort(o.httpPort) + "/announce"
}

// UDPAnnounceURL is "udp://127.0.0.1:P/announce" (opentracker ignores the
// path of UDP announces).
func (o *Opentracker) UDPAnnounceURL() string {
	return "udp://" + o.hostPort(o.udpPort) + "/announce"
}

// HTTPPort is the tracker's TCP (HTTP) port.
func (o *Opentracker) HTTPPort() int { return o.httpPort }

// UDPPort is the tracker's UDP port.
func (o *Opentracker) UDPPort() int { return o.udpPort }

// Log is what opentracker printed, for test failure messages.
func (o *Opentracker) Log() string { return o.stderr.String() }

// kill ends the process group at once; opentracker keeps no state worth a
// graceful shutdown, and it only notices SIGTERM after up to a second.
func (o *Opentracker) kill() {
	if !isClosed(o.done) { // once reaped, the pid may belong to someone else
		_ = signalGroup(o.pid, syscall.SIGKILL)
	}
	<-o.done
}

// Stop kills opentracker, waits for it and removes its directory. It is
// idempotent and returns an error only if opentracker had died on its own.
func (o *Opentracker) Stop() error {
	var err error
	o.stopOnce.Do(func() {
		if isClosed(o.done) {
			err = fmt.Errorf("%w: opentracker: %v\n%s", ErrExited, o.waitErr, o.stderr.String())
		}
		o.kill()
		_ = os.RemoveAll(o.dir)
	})
	return err
}

// whitelistReady announces the probe hash over HTTP (not "stopped", which
// opentracker answers whatever its whitelist) and checks that it is not
// refused: our whitelist is loaded, and the tracker on the port is ours.
func (o *Opentracker) whitelistReady() bool {
	if o.probe == nil {
		return true
	}
	u := fmt.Sprintf("http://%s/announce?info_hash=%s&peer_id=%s&port=1&uploaded=0&downloaded=0&left=0&compact=1",
		o.hostPort(o.httpPort), percentEncode(o.probe[:]), percentEncode([]byte("-PROBE-0123456789abc")))
	// Loopback only, never through a proxy from the environment.
	c := http.Client{Timeout: time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	defer c.CloseIdleConnections()
	resp, err := c.Get(u)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return err == nil && resp.StatusCode == http.StatusOK && !bytes.Contains(body, []byte("failure reason"))
}

// percentEncode escapes every byte of b as %XX: url.QueryEscape writes a
// 0x20 byte as '+', which opentracker does not decode, so a probe for an
// info-hash holding one would never be authorized.
func percentEncode(b []byte) string {
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, 3*len(b))
	for _, c := range b {
		out = append(out, '%', hex[c>>4], hex[c&15])
	}
	return string(out)
}
