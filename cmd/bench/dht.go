package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/actorrent/actorrent"
	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/metainfo"
)

// dht_trackerless_magnet_20 (issue 12): a trackerless magnet download
// through a 20-node loopback DHT. The DHT is 18 of our sessions run in
// this process (the first the others' router), a python3-libtorrent
// seeder and the downloader, each on its own 127.0.N.1 (libtorrent keeps
// one node per /24). The seeder announces the torrent on the DHT; once a
// node of ours has stored its announce, each run starts a downloader with
// only the magnet link (no tracker, no peer) and the router's address:
// ours `demo download -transport tcp -dht -dht-bootstrap ROUTER`,
// libtorrent's lt_peer.py download --magnet --dht-bootstrap ROUTER. Both
// connect over TCP only, as the seeder accepts: lt_peer.py runs without
// uTP, and a uTP connect first would cost ours its SYN timeouts (3.5 s). Figures, from just
// before the process start (so both include it): seconds to the metadata
// (ours: demo's "metadata received" line; libtorrent: its
// metadata_received alert) and to the whole file (checked by SHA-1).
// Runs alternate sides, -runs times each; each downloader gets a fresh
// address. Two lines, medians, ratio ours/libtorrent (below 1: ours
// sooner): dht_trackerless_magnet_20_metadata and _complete.
const (
	lineDHTMagnet = "dht_trackerless_magnet_20"

	dhtOurNodes   = 18
	dhtSize       = 16 << 20
	dhtNodeBase   = 150 // our nodes: 127.0.150.1 …
	dhtSeederNet  = 170 // the seeder: 127.0.170.1
	dhtLeecherNet = 171 // downloaders: 127.0.171.1 …, one a run
	// dhtAnnounceWait bounds the wait for the seeder's first announce.
	dhtAnnounceWait = 60 * time.Second
)

// ErrDHT means a DHT run failed.
var ErrDHT = errors.New("bench: dht run failed")

// dhtRun is one download: seconds to the metadata and to the whole file.
type dhtRun struct {
	side               string
	run                int
	metadata, complete time.Duration
}

// benchDHT prints the dht_trackerless_magnet_20 lines when c runs them.
func benchDHT(ctx context.Context, c config, demo, work string, stdout io.Writer) error {
	if !c.runsLine(lineDHTMagnet) {
		return nil
	}
	if err := interop.Available(); err != nil {
		return err
	}
	dir := filepath.Join(work, lineDHTMagnet)
	defer os.RemoveAll(dir)
	p, err := makePayloadWith(ctx, dir, dhtSize, metainfo.CreateOptions{PieceLength: swarmPieceLength})
	if err != nil {
		return err
	}
	mi, err := metainfo.Load(p.torrent)
	if err != nil {
		return err
	}
	t0 := time.Now()
	nodes, err := startDHTNodes(ctx)
	defer closeDHTNodes(nodes)
	if err != nil {
		return err
	}
	router := nodes[0].addr
	seeder, err := startSeederWith(ctx, interop.Options{Torrent: p.torrent, Save: p.dir,
		Listen: fmt.Sprintf("127.0.%d.1", dhtSeederNet), DHTBootstrap: []string{router}})
	if err != nil {
		return err
	}
	defer seeder.Stop()
	if err := waitDHTAnnounce(ctx, nodes, actorrent.InfoHash(mi.InfoHash)); err != nil {
		return fmt.Errorf("%w: %w\n%s", ErrDHT, err, tail(seeder.Log(), 20))
	}
	fmt.Fprintf(stdout, "# %s: %d nodes of ours, the libtorrent seeder announced after %.1fs\n",
		lineDHTMagnet, len(nodes), time.Since(t0).Seconds())
	magnet := "magnet:?xt=urn:btih:" + mi.InfoHash.String()
	var runs []dhtRun
	k := 0
	for i := 1; i <= c.runs; i++ {
		for _, side := range []string{sideOurs, sideLibtorrent} {
			if !c.wants(side) {
				continue
			}
			ip := fmt.Sprintf("127.0.%d.1", dhtLeecherNet+k%80)
			k++
			save := filepath.Join(dir, fmt.Sprintf("%s-%d", side, i))
			r, err := dhtOnce(ctx, c, side, demo, magnet, router, ip, save)
			if err == nil {
				err = verify(ctx, p, save)
			}
			os.RemoveAll(save)
			if err != nil {
				return fmt.Errorf("%w: %s run %d: %w", ErrDHT, side, i, err)
			}
			r.side, r.run = side, i
			fmt.Fprintf(stdout, "# %s run %d %-10s metadata=%.2fs complete=%.2fs\n", lineDHTMagnet, i, side,
				r.metadata.Seconds(), r.complete.Seconds())
			runs = append(runs, r)
		}
	}
	var meta, done [2][]float64 // ours, libtorrent
	for _, r := range runs {
		j := 0
		if r.side == sideLibtorrent {
			j = 1
		}
		meta[j] = append(meta[j], r.metadata.Seconds())
		done[j] = append(done[j], r.complete.Seconds())
	}
	fmt.Fprintln(stdout, benchLine(lineDHTMagnet+"_metadata", "s", 2, median(meta[0]), median(meta[1])))
	fmt.Fprintln(stdout, benchLine(lineDHTMagnet+"_complete", "s", 2, median(done[0]), median(done[1])))
	return nil
}

// dhtOnce is one download by side into save, on ip; the downloader is
// stopped before it returns.
func dhtOnce(ctx context.Context, c config, side, demo, magnet, router, ip, save string) (dhtRun, error) {
	var r dhtRun
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	t0 := time.Now()
	if side == sideOurs {
		ch, err := startChildMerged(ctx, demo, "download", "-listen", ip+":0", "-transport", "tcp", "-dht", "-dht-bootstrap", router,
			"-resume-dir", "", "-timeout", c.timeout.String(), "-o", save, magnet)
		if err != nil {
			return r, err
		}
		defer ch.stop()
		ch.kind = ErrDHT
		if _, err := ch.waitLine(ctx, "metadata received"); err != nil {
			return r, err
		}
		r.metadata = time.Since(t0)
		for {
			line, err := ch.waitLine(ctx, "downloaded ")
			if err != nil {
				return r, err
			}
			if _, ok := parseOurFinished(line); ok {
				r.complete = time.Since(t0)
				return r, nil
			}
		}
	}
	l, err := interop.StartDownloader(ctx, interop.Options{Magnet: magnet, Save: save, Listen: ip,
		DHTBootstrap: []string{router}, Timeout: c.timeout})
	if err != nil {
		return r, err
	}
	defer l.Stop()
	for r.metadata == 0 {
		ev, err := l.WaitEvent(ctx, "alert")
		if err != nil {
			return r, err
		}
		if ev.Raw["type"] == "metadata_received" {
			r.metadata = time.Since(t0)
		}
	}
	if _, err := l.WaitFinished(ctx); err != nil {
		return r, err
	}
	r.complete = time.Since(t0)
	return r, nil
}

// dhtNode is one of our DHT sessions.
type dhtNode struct {
	s    *actorrent.Session
	addr string // its DHT's host:port (the listen port)
}

// startDHTNodes starts our DHT nodes, the first the others' router; on
// error the ones started are returned for closeDHTNodes.
func startDHTNodes(ctx context.Context) ([]dhtNode, error) {
	var nodes []dhtNode
	for i := range dhtOurNodes {
		p := actorrent.DefaultSettings()
		p.SetStr(actorrent.ListenInterfaces, fmt.Sprintf("127.0.%d.1:0", dhtNodeBase+i))
		p.SetBool(actorrent.EnableDHT, true)
		p.SetBool(actorrent.EnableLSD, false)
		p.SetBool(actorrent.EnableUPnP, false)
		p.SetBool(actorrent.EnableNATPMP, false)
		p.SetInt(actorrent.DHTUploadRateLimit, 0)
		p.SetInt(actorrent.AlertMask, int(actorrent.CategoryDHT))
		if i > 0 {
			p.SetStr(actorrent.DHTBootstrapNodes, nodes[0].addr)
		}
		s, err := actorrent.NewSession(ctx, p)
		if err != nil {
			return nodes, fmt.Errorf("%w: node %d: %w", ErrDHT, i, err)
		}
		addrs, err := s.ListenAddrs(ctx)
		if err == nil && len(addrs) == 0 {
			err = errors.New("no listen address")
		}
		if err != nil {
			_ = s.Close(context.Background())
			return nodes, fmt.Errorf("%w: node %d: %w", ErrDHT, i, err)
		}
		nodes = append(nodes, dhtNode{s: s, addr: addrs[0]})
	}
	return nodes, nil
}

func closeDHTNodes(nodes []dhtNode) {
	for _, n := range nodes {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = n.s.Close(ctx)
		cancel()
	}
}

// waitDHTAnnounce waits until a node of ours has stored an announce of ih
// (its DHTAnnounceAlert).
func waitDHTAnnounce(ctx context.Context, nodes []dhtNode, ih actorrent.InfoHash) error {
	ctx, cancel := context.WithTimeout(ctx, dhtAnnounceWait)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, n := range nodes {
			alerts, err := n.s.PopAlerts(ctx)
			if err != nil {
				return err
			}
			for _, a := range alerts {
				if an, ok := a.(actorrent.DHTAnnounceAlert); ok && an.InfoHash == ih {
					return nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no node stored the seeder's announce: %w", context.Cause(ctx))
		case <-tick.C:
		}
	}
}

// startChildMerged is startChild with stderr read as lines too: `demo
// download` says "metadata received" on stderr.
func startChildMerged(ctx context.Context, bin string, args ...string) (*child, error) {
	c := &child{cmd: exec.CommandContext(ctx, bin, args...), lines: make(chan string, 64)}
	c.cmd.SysProcAttr = procAttr()
	c.cmd.Cancel = func() error { return killGroup(c.cmd.Process.Pid) }
	c.cmd.WaitDelay = 5 * time.Second
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.cmd.Stdout, c.cmd.Stderr = pw, pw
	err = c.cmd.Start()
	pw.Close() // the child has its copy: EOF comes when it exits
	if err != nil {
		pr.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrDHT, bin, err)
	}
	go func() {
		defer close(c.lines)
		defer pr.Close()
		s := bufio.NewScanner(pr)
		s.Buffer(nil, 1<<20) // progress redraws can make long lines
		for s.Scan() {
			fmt.Fprintln(&c.log, s.Text())
			c.lines <- s.Text()
		}
	}()
	return c, nil
}
