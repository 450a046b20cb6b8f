package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Redraw intervals: a bar on a terminal is redrawn often; a log (stderr
// redirected to a file or a pipe) gets a line a second.
const (
	barInterval  = 100 * time.Millisecond
	lineInterval = time.Second
)

// progressView shows the progress of one or more downloads on w: one live
// bar each when w is a terminal, else one line each per second. Updates
// come from any goroutine; drawing happens in draw, called by one.
type progressView struct {
	w    io.Writer
	tty  bool
	mu   sync.Mutex
	rows []progressRow
	// drawn is how many bar lines are on the screen, to move back up.
	drawn int
}

type progressRow struct {
	name        string
	total, done int64
	rate, peers int
	bar         *progressbar.ProgressBar
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func newProgressView(w io.Writer, names []string, totals []int64) *progressView {
	v := &progressView{w: w, tty: isTerminal(w)}
	for i, name := range names {
		r := progressRow{name: name, total: totals[i]}
		if v.tty {
			// The bar renders into its own state only; draw places the
			// lines, which lets several bars share one terminal.
			r.bar = progressbar.NewOptions64(max(totals[i], 1),
				progressbar.OptionSetWriter(io.Discard),
				progressbar.OptionSetDescription(name),
				progressbar.OptionShowBytes(true),
				progressbar.OptionShowCount(),
				progressbar.OptionUseIECUnits(true),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(0),
				progressbar.OptionSetPredictTime(true),
			)
			_ = r.bar.RenderBlank()
		}
		v.rows = append(v.rows, r)
	}
	return v
}

// interval is how often draw should be called.
func (v *progressView) interval() time.Duration {
	if v.tty {
		return barInterval
	}
	return lineInterval
}

// set records download i's progress.
func (v *progressView) set(i int, done int64, rate, peers int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	r := &v.rows[i]
	r.done, r.rate, r.peers = done, rate, peers
}

// draw shows every row once.
func (v *progressView) draw() {
	v.mu.Lock()
	defer v.mu.Unlock()
	var b strings.Builder
	if v.tty && v.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", v.drawn) // back to the first bar
	}
	for i := range v.rows {
		r := &v.rows[i]
		if v.tty {
			_ = r.bar.Set64(min(r.done, r.bar.GetMax64()))
			fmt.Fprintf(&b, "\r\x1b[2K%s\n", strings.TrimLeft(r.bar.String(), "\r"))
			continue
		}
		pct := 100.0
		if r.total > 0 {
			pct = 100 * float64(r.done) / float64(r.total)
		}
		fmt.Fprintf(&b, "%s: %.1f/%.1f MiB (%.1f%%) %.1f MiB/s, %d peers\n",
			r.name, mib(r.done), mib(r.total), pct, mib(int64(r.rate)), r.peers)
	}
	if v.tty {
		v.drawn = len(v.rows)
	}
	_, _ = io.WriteString(v.w, b.String())
}

// show draws v every interval until stop is called; stop draws once more
// so the final state stays on screen.
func (v *progressView) show() (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(v.interval())
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				v.draw()
			}
		}
	}()
	return func() {
		close(done)
		<-exited
		v.draw()
	}
}

// mib converts bytes to MiB.
func mib(n int64) float64 { return float64(n) / (1 << 20) }
