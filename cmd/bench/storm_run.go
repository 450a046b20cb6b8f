package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/wire"
)

// benchStorms prints the hostile_storms_cpu and hostile_storms_rss lines.
func benchStorms(ctx context.Context, c config, demo, work string, stdout io.Writer) error {
	if !c.runsLine(lineStorms) {
		return nil
	}
	if err := interop.Available(); err != nil {
		return err
	}
	dir := filepath.Join(work, "storms")
	defer os.RemoveAll(dir)
	small, err := makePayloadWith(ctx, filepath.Join(dir, "small"), stormSize, metainfo.CreateOptions{PieceLength: stormPieceLength})
	if err != nil {
		return err
	}
	many, err := makePayloadWith(ctx, filepath.Join(dir, "bitfield"), bitfieldPieces*bitfieldPieceLength,
		metainfo.CreateOptions{PieceLength: bitfieldPieceLength})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "# %s: %d messages a storm, each run a fresh seeder; cpu per million messages the seeder took, "+
		"from the first write to a fresh connection's block; rss = peak RssAnon over the storm minus before\n",
		lineStorms, stormMessages)
	for _, s := range storms {
		p := small
		if s.bitfieldTorrent {
			p = many
		}
		var runs []stormRun
		for i := 1; i <= c.runs; i++ {
			for _, side := range []string{sideOurs, sideLibtorrent} {
				if !c.wants(side) {
					continue
				}
				r, err := stormOnce(ctx, c, s, side, demo, p, i)
				if err != nil {
					return err
				}
				fmt.Fprintln(stdout, r.detail())
				runs = append(runs, r)
			}
		}
		for _, l := range stormSummary(s.name, runs) {
			fmt.Fprintln(stdout, l)
		}
	}
	return nil
}

// stormSeeder is a running seeder of either side.
type stormSeeder struct {
	addr string
	pid  int
	stop func()
	lt   *interop.Libtorrent // libtorrent's, for its disconnect alerts; nil for ours
}

// startStormSeeder starts side's seeder of p and waits until it seeds.
// With profile set, ours writes a CPU profile there, so it is stopped
// with SIGINT rather than killed.
func startStormSeeder(ctx context.Context, side, demo string, p payload, profile string) (stormSeeder, error) {
	if side == sideOurs {
		args := []string{"seed", "-listen", "127.0.0.1:0", "-resume-dir", ""}
		if profile != "" {
			args = append(args, "-cpuprofile", profile)
		}
		seed, err := startChild(ctx, demo, append(args, p.torrent, p.dir)...)
		if err != nil {
			return stormSeeder{}, err
		}
		seed.kind = ErrStorm
		line, err := seed.waitLine(ctx, "listening on ")
		if err != nil {
			seed.stop()
			return stormSeeder{}, err
		}
		stop := seed.stop
		if profile != "" {
			stop = func() { seed.interrupt(profileGrace) }
		}
		return stormSeeder{addr: strings.TrimPrefix(line, "listening on "), pid: seed.cmd.Process.Pid, stop: stop}, nil
	}
	seed, err := startSeeder(ctx, p)
	if err != nil {
		return stormSeeder{}, err
	}
	return stormSeeder{addr: seed.Addr(), pid: childWithArg(p.dir), stop: func() { _ = seed.Stop() }, lt: seed}, nil
}

// stormOnce is one storm against one fresh seeder of side's.
func stormOnce(ctx context.Context, c config, s storm, side, demo string, p payload, run int) (stormRun, error) {
	r := stormRun{storm: s.name, side: side, run: run}
	fail := func(err error) (stormRun, error) {
		return r, fmt.Errorf("%w: %s %s run %d: %w", ErrStorm, s.name, side, run, err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout+seederStartTimeout)
	defer cancel()
	mi, err := metainfo.Load(p.torrent)
	if err != nil {
		return fail(err)
	}
	want := make([]byte, wire.BlockSize)
	if err := readAt(p.path, want, 0); err != nil {
		return fail(err)
	}
	profile := ""
	if c.cpuProfile != "" && side == sideOurs {
		profile = filepath.Join(c.cpuProfile, fmt.Sprintf("storm-%s-%d.prof", s.name, run))
	}
	seed, err := startStormSeeder(ctx, side, demo, p, profile)
	if err != nil {
		return fail(err)
	}
	defer seed.stop()
	if seed.pid == 0 {
		return fail(errors.New("the seeder's process id was not found"))
	}
	conn, err := dialSeeder(ctx, seed.addr, mi.InfoHash)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(c.timeout))
	d := startDrain(conn)
	plan := planStorm(s.msgs, stormMessages, stormChunkBytes)
	// A have of a piece past the end: both seeders drop the peer, once
	// they have read everything before it.
	end := wire.AppendMessage(nil, wire.Message{ID: wire.Have, Index: uint32(mi.Info.NumPieces())})

	anon0 := readAnonKiB(seed.pid)
	stopAnon := sampleAnon(seed.pid)
	cpu0 := cpuTime(seed.pid)
	t0 := time.Now()
	sent, ended, werr := writeStorm(conn, plan, end)
	select {
	case <-d.done:
	case <-ctx.Done():
		stopAnon()
		return fail(fmt.Errorf("the seeder did not close the connection after the storm: %w", context.Cause(ctx)))
	}
	r.wall = time.Since(t0)
	herr := fetchBlock(ctx, seed.addr, mi.InfoHash, want)
	r.cpu = cpuTime(seed.pid) - cpu0
	r.anonKiB = stopAnon() - anon0
	if herr != nil {
		return fail(fmt.Errorf("health check after the storm: %w", herr))
	}
	r.sent, r.early, r.replies = sent, !ended, d.received.Load()
	if r.early {
		r.note = fmt.Sprintf("write: %v", werr)
	}
	if seed.lt != nil {
		if why := firstDisconnect(seed.lt.Events()); why != "" {
			r.note = strings.TrimSpace(r.note + " lt_closed=" + why)
		}
	}
	return r, nil
}

// firstDisconnect is why libtorrent dropped its first peer (the storming
// one: the health check's connection is still open) as its first
// peer_disconnected or peer_error alert says, without the alert's
// torrent and peer prefix; "" when there is none.
func firstDisconnect(evs []interop.Event) string {
	for _, e := range evs {
		if e.Event == "alert" && (e.Type == "peer_disconnected" || e.Type == "peer_error") {
			msg := e.Message
			if i := strings.LastIndex(msg, "]: "); i >= 0 {
				msg = msg[i+len("]: "):]
			}
			return strconv.Quote(msg)
		}
	}
	return ""
}

// profileGrace is how long a profiling seeder has to write its profile
// and exit after SIGINT before it is killed.
const profileGrace = 10 * time.Second

// interrupt stops the child with SIGINT, as a user would, and reaps it;
// after grace it kills the process group.
func (c *child) interrupt(grace time.Duration) {
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() {
		_ = c.cmd.Wait()
		close(done)
	}()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		_ = killGroup(c.cmd.Process.Pid)
		<-done
	}
}

// readAt fills b from path at off.
func readAt(path string, b []byte, off int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.ReadAt(b, off)
	return err
}
