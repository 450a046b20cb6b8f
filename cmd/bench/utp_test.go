package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestDemoHasFlag reads a flag set's usage text as Go's flag package
// prints it (exit status 2 and all).
func TestDemoHasFlag(t *testing.T) {
	dir := t.TempDir()
	fake := func(name, usage string) string {
		p := filepath.Join(dir, name)
		script := "#!/bin/sh\ncat >&2 <<'EOF'\n" + usage + "EOF\nexit 2\n"
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	with := fake("with", "usage: demo download\n  -timeout D\n    \tgive up\n  -transport MODE\n    \ttcp, utp or both\n")
	without := fake("without", "usage: demo download\n  -timeout D\n    \tgive up\n  -transports-are-not-this\n")
	bare := fake("bare", "usage: demo download\n  -transport\n    \ta bool\n")
	for _, tc := range []struct {
		bin  string
		want bool
	}{{with, true}, {without, false}, {bare, true}} {
		got, err := demoHasFlag(context.Background(), tc.bin, "download", "transport")
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", filepath.Base(tc.bin), got, err, tc.want)
		}
	}
}

func TestTransferProfile(t *testing.T) {
	if got := (transfer{line: lineDownload}).profile(2); got != "ours-2.prof" {
		t.Errorf("download_tcp_1gib profile %q, want the old name ours-2.prof", got)
	}
	if got := utpFromLT(lineUTPFromLT).profile(1); got != "utp_download_from_lt-ours-1.prof" {
		t.Errorf("uTP profile %q", got)
	}
}

func TestPairLine(t *testing.T) {
	got := pairLine(lineUTPvsTCP, transportUTP, transportTCP, "MiB/s", 1, 70, 100)
	if want := "utp_vs_tcp_ours: utp=70.0 MiB/s tcp=100.0 MiB/s ratio=0.70"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
