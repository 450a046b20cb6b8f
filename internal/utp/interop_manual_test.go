//go:build utpinterop

// Manual interop with libtorrent 2.0.8 (Debian's python3-libtorrent) over
// real loopback UDP, driving a Conn with a minimal single-connection loop
// (the socket layer proper comes with the mux):
//
//	go test -tags utpinterop -run Interop -v ./internal/utp
//
// Outside CI: it uses real time and fixed-size transfers, and the mux will
// bring the interop tests that run in `make test`.
package utp

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// udpDriver runs one Conn over a UDP socket: send what it queued, read
// what arrived (a batch, then Flush), run its timers.
type udpDriver struct {
	t    *testing.T
	pc   *net.UDPConn
	peer *net.UDPAddr
	c    *Conn
	buf  []byte
}

func (d *udpDriver) flushOut() {
	for _, dg := range d.c.Outgoing(nil) {
		if _, err := d.pc.WriteToUDP(dg.B, d.peer); err != nil {
			d.t.Logf("write: %v", err)
		}
	}
}

func (d *udpDriver) pump() {
	d.flushOut()
	dl := time.Now().Add(20 * time.Millisecond)
	if cd := d.c.Deadline(); !cd.IsZero() && cd.Before(dl) {
		dl = cd
	}
	d.pc.SetReadDeadline(dl)
	got := false
	for {
		n, _, err := d.pc.ReadFromUDP(d.buf)
		if err != nil {
			break
		}
		if p, err := ParsePacket(d.buf[:n]); err == nil {
			d.c.Incoming(p, time.Now())
			got = true
		}
		d.pc.SetReadDeadline(time.Now().Add(time.Millisecond))
	}
	if got {
		d.c.Flush(time.Now())
	}
	if cd := d.c.Deadline(); !cd.IsZero() && !time.Now().Before(cd) {
		d.c.Tick(time.Now())
	}
	d.flushOut()
}

func (d *udpDriver) write(b []byte) {
	for len(b) > 0 {
		n, err := d.c.Write(b, time.Now())
		if err != nil {
			d.t.Fatal(err)
		}
		b = b[n:]
		d.pump()
	}
}

func (d *udpDriver) readN(n int, timeout time.Duration) []byte {
	out := make([]byte, 0, n)
	tmp := make([]byte, 65536)
	end := time.Now().Add(timeout)
	for len(out) < n {
		if time.Now().After(end) {
			d.t.Fatalf("read: %d of %d bytes after %v, %v %v %+v", len(out), n, timeout, d.c.State(), d.c.Err(), d.c.Stats())
		}
		k, err := d.c.Read(tmp[:min(len(tmp), n-len(out))], time.Now())
		out = append(out, tmp[:k]...)
		if err != nil {
			d.t.Fatalf("read: %v", err)
		}
		if k == 0 {
			d.pump()
		}
	}
	return out
}

func (d *udpDriver) close() {
	d.c.Close(0, time.Now())
	for end := time.Now().Add(5 * time.Second); d.c.State() != StateClosed && time.Now().Before(end); {
		d.pump()
	}
	if d.c.State() != StateClosed || d.c.Err() != nil {
		d.t.Errorf("close: %v %v", d.c.State(), d.c.Err())
	}
}

// startPython runs a helper script and waits for its INFOHASH line; later
// lines go to the returned channel.
func startPython(t *testing.T, script string, args ...string) ([20]byte, <-chan string) {
	cmd := exec.Command("/usr/bin/python3", append([]string{filepath.Join("testdata", "interop", script)}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Skipf("python3-libtorrent: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	var ih [20]byte
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "INFOHASH ") {
			b, _ := hex.DecodeString(strings.TrimPrefix(l, "INFOHASH "))
			copy(ih[:], b)
			break
		}
	}
	lines := make(chan string, 16)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return ih, lines
}

func handshake(ih [20]byte) []byte {
	hs := append([]byte("\x13BitTorrent protocol"), make([]byte, 8)...)
	hs = append(hs, ih[:]...)
	return append(hs, "-AT0001-utpinterop01"...)
}

// downloadFrom fetches the seed's 256 KiB file block by block.
func downloadFrom(t *testing.T, d *udpDriver, ih [20]byte, want []byte, weSpeakFirst bool) {
	if weSpeakFirst {
		d.write(handshake(ih))
	}
	if reply := d.readN(68, 10*time.Second); !bytes.Equal(reply[28:48], ih[:]) {
		t.Fatalf("handshake %q", reply)
	}
	if !weSpeakFirst {
		d.write(handshake(ih))
	}
	d.write([]byte{0, 0, 0, 1, 2}) // interested
	got := make([]byte, len(want))
	blocks, requested := 0, false
	start := time.Now()
	for blocks < len(want)/16384 {
		n := binary.BigEndian.Uint32(d.readN(4, 20*time.Second))
		if n == 0 {
			continue
		}
		msg := d.readN(int(n), 20*time.Second)
		switch msg[0] {
		case 1: // unchoke
			if !requested {
				requested = true
				var reqs []byte
				for i := range len(want) / 16384 {
					reqs = append(reqs, 0, 0, 0, 13, 6)
					reqs = binary.BigEndian.AppendUint32(reqs, uint32(i))
					reqs = binary.BigEndian.AppendUint32(reqs, 0)
					reqs = binary.BigEndian.AppendUint32(reqs, 16384)
				}
				d.write(reqs)
			}
		case 7: // piece
			copy(got[int(binary.BigEndian.Uint32(msg[1:]))*16384:], msg[9:])
			blocks++
		}
	}
	if !bytes.Equal(got, want) {
		t.Fatal("payload differs")
	}
	t.Logf("downloaded %d bytes in %v; %+v", len(got), time.Since(start), d.c.Stats())
	d.close()
}

func loopbackUDP(t *testing.T) *net.UDPConn {
	pc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc
}

// acceptSYN waits for a SYN and answers it.
func acceptSYN(t *testing.T, pc *net.UDPConn) *udpDriver {
	buf := make([]byte, 2048)
	pc.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		n, from, err := pc.ReadFromUDP(buf)
		if err != nil {
			t.Fatal(err)
		}
		if p, err := ParsePacket(buf[:n]); err == nil && p.Type == TypeSyn {
			d := &udpDriver{t: t, pc: pc, peer: from, buf: buf}
			d.c = NewAcceptor(DefaultConfig(), p, 0x7777, time.Now())
			d.c.Flush(time.Now())
			d.flushOut()
			return d
		}
	}
}

func TestInteropWeConnect(t *testing.T) {
	dir := t.TempDir()
	probe := loopbackUDP(t)
	port := probe.LocalAddr().(*net.UDPAddr).Port
	probe.Close()
	ih, _ := startPython(t, "lt_seed.py", dir, strconv.Itoa(port))
	want, _ := os.ReadFile(filepath.Join(dir, "f.bin"))
	d := &udpDriver{t: t, pc: loopbackUDP(t), peer: &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}, buf: make([]byte, 2048)}
	d.c = NewInitiator(DefaultConfig(), 0x4321, 0xfff0, time.Now())
	for end := time.Now().Add(10 * time.Second); d.c.State() == StateSynSent && time.Now().Before(end); {
		d.pump()
	}
	if d.c.State() != StateConnected {
		t.Fatalf("connect: %v %v", d.c.State(), d.c.Err())
	}
	downloadFrom(t, d, ih, want, true)
}

func TestInteropTheyConnect(t *testing.T) {
	dir := t.TempDir()
	pc := loopbackUDP(t)
	probe := loopbackUDP(t)
	port := probe.LocalAddr().(*net.UDPAddr).Port
	probe.Close()
	ih, _ := startPython(t, "lt_seed.py", dir, strconv.Itoa(port), pc.LocalAddr().String())
	want, _ := os.ReadFile(filepath.Join(dir, "f.bin"))
	downloadFrom(t, acceptSYN(t, pc), ih, want, false)
}

// TestInteropUpload serves 16 MiB to a libtorrent downloader: our sender,
// LEDBAT and MTU probing against libtorrent's receiver and SACKs.
func TestInteropUpload(t *testing.T) {
	const size = 16 << 20
	dir := t.TempDir()
	pc := loopbackUDP(t)
	pc.SetReadBuffer(8 << 20)
	ih, lines := startPython(t, "lt_leech.py", dir, pc.LocalAddr().String(), strconv.Itoa(size))
	data, err := os.ReadFile(filepath.Join(dir, "src", "g.bin"))
	if err != nil {
		t.Fatal(err)
	}
	d := acceptSYN(t, pc)
	d.readN(68, 10*time.Second)
	npieces := (len(data) + 262143) / 262144
	pending := handshake(ih)
	bf := make([]byte, (npieces+7)/8)
	for i := range npieces {
		bf[i/8] |= 0x80 >> (i % 8)
	}
	pending = binary.BigEndian.AppendUint32(pending, uint32(1+len(bf)))
	pending = append(append(pending, 5), bf...)
	pending = append(pending, 0, 0, 0, 1, 1) // unchoke
	var in []byte
	tmp := make([]byte, 65536)
	start := time.Now()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("libtorrent exited")
			}
			t.Logf("libtorrent: %s", l)
			if strings.HasPrefix(l, "DONE") {
				el := time.Since(start)
				t.Logf("uploaded %d bytes in %v (%.1f MiB/s); %+v cwnd %d mtu %d rtt %v",
					size, el, float64(size)/el.Seconds()/(1<<20), d.c.Stats(), d.c.Cwnd(), d.c.MTU(), d.c.RTT())
				return
			}
			continue
		default:
		}
		if time.Since(start) > time.Minute {
			t.Fatalf("upload stalled: %v %v %+v", d.c.State(), d.c.Err(), d.c.Stats())
		}
		if len(pending) > 0 {
			n, err := d.c.Write(pending, time.Now())
			if err != nil {
				t.Fatalf("write: %v", err)
			}
			pending = pending[n:]
		}
		for {
			k, err := d.c.Read(tmp, time.Now())
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if k == 0 {
				break
			}
			in = append(in, tmp[:k]...)
		}
		for len(in) >= 4 && len(in) >= 4+int(binary.BigEndian.Uint32(in)) {
			n := int(binary.BigEndian.Uint32(in))
			msg := in[4 : 4+n]
			in = in[4+n:]
			if n == 13 && msg[0] == 6 { // request
				idx, begin, ln := binary.BigEndian.Uint32(msg[1:]), binary.BigEndian.Uint32(msg[5:]), binary.BigEndian.Uint32(msg[9:])
				off := int(idx)*262144 + int(begin)
				pending = binary.BigEndian.AppendUint32(pending, 9+ln)
				pending = append(pending, 7)
				pending = binary.BigEndian.AppendUint32(pending, idx)
				pending = binary.BigEndian.AppendUint32(pending, begin)
				pending = append(pending, data[off:off+int(ln)]...)
			}
		}
		d.pump()
	}
}
