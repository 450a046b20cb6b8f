// Command demo is actorrent's demo CLI, built on the public facade only.
//
// With no arguments it runs a self-contained swarm on 127.0.0.1 (one seed,
// two downloaders, a 64 MiB payload) and checks the bytes. Subcommands:
//
//	demo create [-piece-size BYTES] [-tracker URL]... -o OUT.torrent PATH
//	demo info TORRENT
//	demo seed [-listen ADDR] [-set NAME=VALUE]... [-up-limit N] [-down-limit N] [-ip-filter FILE]
//	    [-metrics ADDR] [-resume-dir DIR] [-resume-interval D] [-super-seed] TORRENT SAVE_PATH
//	demo download [-listen ADDR] [-set NAME=VALUE]... [-up-limit N] [-down-limit N] [-ip-filter FILE]
//	    [-metrics ADDR] [-peer HOST:PORT]... [-timeout D] [-resume-dir DIR] [-resume-interval D] [-v] -o SAVE_PATH TORRENT
//	demo check [-hashing-threads N] TORRENT SAVE_PATH
//	demo chaos [-seed N] [-rate R] [-timeout D]
//
// Exit codes: 0 ok, 1 failure, 2 usage error, 3 a check found pieces
// missing or wrong. Failures are one line on stderr, "demo: <reason>".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	// exitPiecesFailed: demo check ran, and some pieces failed it.
	exitPiecesFailed = 3
)

const usageText = `usage:
  demo                                    run a seed and two downloaders on 127.0.0.1
  demo create [-piece-size BYTES] [-tracker URL]... -o OUT.torrent PATH
  demo info TORRENT
  demo seed [-listen ADDR] [-set NAME=VALUE]... [-resume-dir DIR] [-super-seed] TORRENT SAVE_PATH
  demo download [-listen ADDR] [-set NAME=VALUE]... [-peer HOST:PORT]... [-timeout D] [-resume-dir DIR] [-v] -o SAVE_PATH TORRENT
  demo check [-hashing-threads N] TORRENT SAVE_PATH
  demo chaos [-seed N] [-rate R] [-timeout D]   the swarm under injected faults
  demo scale add N SAVE | idle N SAVE SECONDS   N torrents in one session: time, RSS, CPU (JSON)
run "demo COMMAND -h" for a command's flags`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit code. It is main
// without os.Exit, so tests can drive it.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signalContext(context.Background())
	defer stop()
	var err error
	if len(args) == 0 {
		err = runSwarm(ctx, stdout, stderr)
	} else {
		err = runCommand(ctx, args[0], args[1:], stdout, stderr)
	}
	return report(err, stderr)
}

// runCommand dispatches a subcommand.
func runCommand(ctx context.Context, name string, args []string, stdout, stderr io.Writer) error {
	switch name {
	case "create":
		return runCreate(args, stdout)
	case "info":
		return runInfo(args, stdout)
	case "seed":
		return runSeed(ctx, args, stdout, stderr)
	case "download":
		return runDownload(ctx, args, stdout, stderr)
	case "check":
		return runCheck(ctx, args, stdout, stderr)
	case "chaos":
		return runChaos(ctx, args, stdout, stderr)
	case "scale":
		return runScale(args, stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, usageText)
		return nil
	}
	return usageErrorf("unknown command %q", name)
}

// report prints err as one line and maps it to an exit code.
func report(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "demo: %s (run \"demo help\" for usage)\n", oneLine(err))
		return exitUsage
	case errors.Is(err, errPiecesFailed):
		fmt.Fprintf(stderr, "demo: %s\n", oneLine(err))
		return exitPiecesFailed
	}
	fmt.Fprintf(stderr, "demo: %s\n", oneLine(err))
	return exitFailure
}

// oneLine renders an error on a single line: callers and scripts read the
// first line of stderr as the reason.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
