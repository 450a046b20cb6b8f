package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// errUsage marks errors in the command line (exit code 2).
var errUsage = errors.New("usage")

// errInterrupted is the cause of a context ended by SIGINT or SIGTERM.
var errInterrupted = errors.New("interrupted")

// usageError is a command-line mistake; it matches errUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string        { return e.msg }
func (e *usageError) Is(target error) bool { return target == errUsage }

func usageErrorf(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// stringList is a repeatable string flag (-tracker, -peer).
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// flagSet is a subcommand's flags with what its -h prints.
type flagSet struct {
	*flag.FlagSet
	synopsis string
	stdout   io.Writer
}

// newFlagSet makes a subcommand's FlagSet. It prints nothing by itself:
// parseArgs turns mistakes into one-line usage errors and prints the flag
// list only when -h asks for it.
func newFlagSet(name, synopsis string, stdout io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, synopsis: synopsis, stdout: stdout}
}

// help prints the synopsis and the flags on stdout.
func (fs *flagSet) help() {
	fmt.Fprintf(fs.stdout, "usage: %s\n", fs.synopsis)
	fs.SetOutput(fs.stdout)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// parseArgs parses flags and positional arguments in any order (flag stops
// at the first positional one; users type "demo info x.torrent -h" too).
// After "--" everything is positional.
func parseArgs(fs *flagSet, args []string) ([]string, error) {
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.help()
			return nil, err
		}
		if err != nil {
			return nil, usageErrorf("%s: %v", fs.Name(), err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// checkListen validates a -listen address before a session is made.
func checkListen(addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usageErrorf("-listen %q: %v", addr, err)
	}
	return nil
}

// signalContext is ctx cancelled with cause errInterrupted on SIGINT or
// SIGTERM, so commands can close their session cleanly. stop releases the
// signal handler.
func signalContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cancel(fmt.Errorf("%w (%v)", errInterrupted, sig))
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(context.Canceled)
	}
}

// because returns the reason ctx ended instead of err when ctx ended: an
// interrupted or timed-out call fails with "context canceled", which says
// less than "interrupted" or "timed out after 30s".
func because(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		if cause := context.Cause(ctx); !errors.Is(err, cause) {
			return cause
		}
	}
	return err
}
