package interop

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// runScript runs a one-shot lt_peer.py mode (create, info) bounded by ctx
// and returns the event called want.
func runScript(ctx context.Context, want string, args ...string) (Event, error) {
	if err := Available(); err != nil {
		return Event{}, err
	}
	dir, script, err := writeScript()
	if err != nil {
		return Event{}, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, Python, append([]string{"-u", script}, args...)...)
	cmd.SysProcAttr = procAttr()
	// On ctx end kill the whole group, not only the leader.
	cmd.Cancel = func() error { return signalGroup(cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	stderr := &TailBuffer{}
	cmd.Stderr = stderr
	out, runErr := cmd.Output()
	var found *Event
	errMsg := ""
	for _, line := range strings.Split(string(out), "\n") {
		ev, perr := parseEvent([]byte(line))
		if perr != nil {
			continue
		}
		switch ev.Event {
		case want:
			found = &ev
		case "error":
			errMsg = ev.Message
		}
	}
	if runErr != nil || found == nil {
		if ctx.Err() != nil {
			return Event{}, fmt.Errorf("interop: lt_peer.py %s: %w", args[0], context.Cause(ctx))
		}
		return Event{}, fmt.Errorf("%w: lt_peer.py %s: %v %s\n%s%s", ErrExited, args[0], runErr, errMsg, out, stderr.String())
	}
	return *found, nil
}

// CreateTorrentWithLibtorrent makes a v1-only .torrent at out for the file
// or directory at path, with libtorrent's create_torrent, the given piece
// size (0 lets libtorrent choose) and one tracker tier per URL. Useful to
// compare our own torrents with libtorrent's.
func CreateTorrentWithLibtorrent(ctx context.Context, path, out string, pieceSize int, trackers []string) error {
	_, err := CreateTorrentWithLibtorrentInfoHash(ctx, path, out, pieceSize, trackers)
	return err
}

// CreateTorrentWithLibtorrentInfoHash is CreateTorrentWithLibtorrent that
// also returns the torrent's v1 info-hash.
func CreateTorrentWithLibtorrentInfoHash(ctx context.Context, path, out string, pieceSize int, trackers []string) ([20]byte, error) {
	if path == "" || out == "" || pieceSize < 0 {
		return [20]byte{}, fmt.Errorf("%w: path, out and a non-negative piece size are required", ErrBadOptions)
	}
	args := []string{"create", "--path", path, "--out", out, "--piece-size", strconv.Itoa(pieceSize)}
	for _, t := range trackers {
		args = append(args, "--tracker", t)
	}
	ev, err := runScript(ctx, "created", args...)
	if err != nil {
		return [20]byte{}, err
	}
	return decodeInfoHash(ev.InfoHash)
}

// LibtorrentInfoHash returns the v1 info-hash libtorrent computes for the
// .torrent file at path.
func LibtorrentInfoHash(ctx context.Context, path string) ([20]byte, error) {
	ev, err := runScript(ctx, "info", "info", "--torrent", path)
	if err != nil {
		return [20]byte{}, err
	}
	return decodeInfoHash(ev.InfoHash)
}

// decodeInfoHash parses 40 hex characters.
func decodeInfoHash(s string) ([20]byte, error) {
	var ih [20]byte
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(ih) {
		return ih, fmt.Errorf("%w: info-hash %q is not 40 hex characters", ErrBadEvent, s)
	}
	copy(ih[:], b)
	return ih, nil
}
