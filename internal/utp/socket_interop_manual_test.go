//go:build utpinterop

// Manual interop of the Socket with libtorrent 2.0.8 (python3-libtorrent)
// over real loopback UDP: our GSO trains to a receiver without GRO, our
// GRO reads of its datagrams, demux and deferred ACKs per batch.
//
//	go test -tags utpinterop -run InteropSocket -v ./internal/utp
package utp

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readMsg reads one length-prefixed peer-wire message (nil: keep-alive).
func readMsg(t *testing.T, c net.Conn) []byte {
	var l [4]byte
	if _, err := io.ReadFull(c, l[:]); err != nil {
		t.Fatalf("read length: %v", err)
	}
	msg := make([]byte, binary.BigEndian.Uint32(l[:]))
	if _, err := io.ReadFull(c, msg); err != nil {
		t.Fatalf("read message: %v", err)
	}
	return msg
}

// dialHandshake connects to the seed on port and swaps handshakes; nil
// when the seed refused or hung up.
func dialHandshake(t *testing.T, s *Socket, port int, ih [20]byte) net.Conn {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := s.DialContext(ctx, netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port)))
	if err != nil {
		t.Logf("dial: %v", err)
		return nil
	}
	c.SetDeadline(time.Now().Add(30 * time.Second))
	c.Write(handshake(ih))
	var hs [68]byte
	if _, err := io.ReadFull(c, hs[:]); err != nil || !bytes.Equal(hs[28:48], ih[:]) {
		t.Logf("handshake: %v", err)
		c.Close()
		return nil
	}
	return c
}

// TestInteropSocketDownload dials a libtorrent seed through a Socket and
// downloads its 256 KiB file.
func TestInteropSocketDownload(t *testing.T) {
	dir := t.TempDir()
	probe := loopbackUDP(t)
	port := probe.LocalAddr().(*net.UDPAddr).Port
	probe.Close()
	ih, _ := startPython(t, "lt_seed.py", dir, strconv.Itoa(port))
	want, _ := os.ReadFile(filepath.Join(dir, "f.bin"))
	s := listenLoopback(t, SocketConfig{})
	// The seed may still be starting: its port answers RESET, or it
	// closes connections for a torrent it is still checking. Try again.
	var c net.Conn
	for attempt := 0; c == nil; attempt++ {
		if attempt == 50 {
			t.Fatal("no handshake with the seed")
		}
		if attempt > 0 {
			time.Sleep(200 * time.Millisecond)
		}
		c = dialHandshake(t, s, port, ih)
	}
	defer c.Close()
	c.Write([]byte{0, 0, 0, 1, 2}) // interested
	got := make([]byte, len(want))
	blocks, requested := 0, false
	have := make([]bool, len(want)/16384)
	for blocks < len(want)/16384 {
		msg := readMsg(t, c)
		if len(msg) == 0 {
			continue
		}
		switch msg[0] {
		case 1: // unchoke
			if requested {
				continue
			}
			requested = true
			var reqs []byte
			for i := range len(want) / 16384 {
				reqs = append(reqs, 0, 0, 0, 13, 6)
				reqs = binary.BigEndian.AppendUint32(reqs, uint32(i))
				reqs = binary.BigEndian.AppendUint32(reqs, 0)
				reqs = binary.BigEndian.AppendUint32(reqs, 16384)
			}
			c.Write(reqs)
		case 7:
			i := int(binary.BigEndian.Uint32(msg[1:]))
			copy(got[i*16384:], msg[9:])
			if !have[i] {
				have[i] = true
				blocks++
			}
		}
	}
	for i := 0; i < len(want); i += 16384 {
		if !bytes.Equal(got[i:i+16384], want[i:i+16384]) {
			t.Errorf("block %d differs: prefix %d", i/16384, commonPrefix(got[i:i+16384], want[i:i+16384]))
		}
	}
	t.Logf("stats: %+v", s.Stats())
}

// TestInteropSocketUpload serves 64 MiB to a libtorrent downloader (4 MiB
// socket buffers) that connects to our Socket: our GSO trains to a
// receiver that reads one datagram per call.
func TestInteropSocketUpload(t *testing.T) {
	const size = 64 << 20
	dir := t.TempDir()
	s := listenLoopback(t, SocketConfig{})
	ih, lines := startPython(t, "lt_leech.py", dir, s.Addr().String(), strconv.Itoa(size), "big")
	data, err := os.ReadFile(filepath.Join(dir, "src", "g.bin"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Minute))
	var hs [68]byte
	if _, err := io.ReadFull(c, hs[:]); err != nil {
		t.Fatal(err)
	}
	npieces := (len(data) + 262143) / 262144
	out := handshake(ih)
	bf := make([]byte, (npieces+7)/8)
	for i := range npieces {
		bf[i/8] |= 0x80 >> (i % 8)
	}
	out = binary.BigEndian.AppendUint32(out, uint32(1+len(bf)))
	out = append(append(out, 5), bf...)
	out = append(out, 0, 0, 0, 1, 1) // unchoke
	if _, err := c.Write(out); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	done := make(chan string, 1)
	go func() {
		for l := range lines {
			if strings.HasPrefix(l, "DONE") {
				done <- l
				c.Close() // ends the request loop below
				return
			}
		}
		close(done)
	}()
	for {
		var l [4]byte
		if _, err := io.ReadFull(c, l[:]); err != nil {
			break
		}
		msg := make([]byte, binary.BigEndian.Uint32(l[:]))
		if _, err := io.ReadFull(c, msg); err != nil {
			break
		}
		if len(msg) == 13 && msg[0] == 6 {
			idx, begin, ln := binary.BigEndian.Uint32(msg[1:]), binary.BigEndian.Uint32(msg[5:]), binary.BigEndian.Uint32(msg[9:])
			off := int(idx)*262144 + int(begin)
			piece := binary.BigEndian.AppendUint32(nil, 9+ln)
			piece = append(piece, 7)
			piece = binary.BigEndian.AppendUint32(piece, idx)
			piece = binary.BigEndian.AppendUint32(piece, begin)
			piece = append(piece, data[off:off+int(ln)]...)
			if _, err := c.Write(piece); err != nil {
				break
			}
		}
	}
	l, ok := <-done
	if !ok {
		t.Fatal("libtorrent exited before finishing")
	}
	el := time.Since(start)
	t.Logf("%s: uploaded %d MiB in %v (%.1f MiB/s); %+v", l, size>>20, el, float64(size)/el.Seconds()/(1<<20), s.Stats())
}

// TestInteropSocketDownloadBig downloads 64 MiB from a libtorrent seed
// (4 MiB socket buffers) through a Socket, 128 block requests in flight:
// libtorrent's sender against our receiver, GRO reads and batch ACKs.
func TestInteropSocketDownloadBig(t *testing.T) {
	const size = 64 << 20
	const block = 16384
	dir := t.TempDir()
	probe := loopbackUDP(t)
	port := probe.LocalAddr().(*net.UDPAddr).Port
	probe.Close()
	ih, _ := startPython(t, "lt_seed_big.py", dir, strconv.Itoa(port), strconv.Itoa(size))
	want, _ := os.ReadFile(filepath.Join(dir, "f.bin"))
	s := listenLoopback(t, SocketConfig{})
	var c net.Conn
	for attempt := 0; c == nil; attempt++ {
		if attempt == 50 {
			t.Fatal("no handshake with the seed")
		}
		if attempt > 0 {
			time.Sleep(200 * time.Millisecond)
		}
		c = dialHandshake(t, s, port, ih)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Minute))
	c.Write([]byte{0, 0, 0, 1, 2}) // interested
	request := func(i int) []byte {
		r := []byte{0, 0, 0, 13, 6}
		r = binary.BigEndian.AppendUint32(r, uint32(i*block/262144))
		r = binary.BigEndian.AppendUint32(r, uint32(i*block%262144))
		return binary.BigEndian.AppendUint32(r, block)
	}
	got := make([]byte, size)
	nblocks := size / block
	next, received := 0, 0
	var start time.Time
	for received < nblocks {
		msg := readMsg(t, c)
		if len(msg) == 0 {
			continue
		}
		switch msg[0] {
		case 1: // unchoke
			if start.IsZero() {
				start = time.Now()
				var reqs []byte
				for ; next < min(128, nblocks); next++ {
					reqs = append(reqs, request(next)...)
				}
				c.Write(reqs)
			}
		case 7:
			off := int(binary.BigEndian.Uint32(msg[1:]))*262144 + int(binary.BigEndian.Uint32(msg[5:]))
			copy(got[off:], msg[9:])
			received++
			if next < nblocks {
				c.Write(request(next))
				next++
			}
		}
	}
	el := time.Since(start)
	if !bytes.Equal(got, want) {
		t.Fatal("payload differs")
	}
	t.Logf("downloaded %d MiB in %v (%.1f MiB/s); %+v", size>>20, el, float64(size)/el.Seconds()/(1<<20), s.Stats())
}
