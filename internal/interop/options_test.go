package interop

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestScriptArgs(t *testing.T) {
	tests := []struct {
		name    string
		o       Options
		want    []string // must appear, in this order, as a contiguous run
		absent  string
		wantErr error
	}{
		{"peers", Options{Torrent: "t", Save: "s", Peers: []string{"127.0.0.1:1", "127.0.0.1:2"}},
			[]string{"--peer", "127.0.0.1:1", "--peer", "127.0.0.1:2"}, "--tracker-only", nil},
		{"tracker only", Options{Torrent: "t", Save: "s"}, []string{"--tracker-only"}, "--peer", nil},
		{"magnet", Options{Magnet: "magnet:?x", Save: "s"}, []string{"--magnet", "magnet:?x"}, "--torrent", nil},
		{"limits", Options{Torrent: "t", Save: "s", UploadLimit: 5, DownloadLimit: 6},
			[]string{"--upload-limit", "5", "--download-limit", "6"}, "", nil},
		{"flags", Options{Torrent: "t", Save: "s", SeedMode: true, KeepSeeding: true, UTP: true},
			[]string{"--seed-mode", "--keep-seeding", "--utp"}, "--no-utp", nil},
		{"lsd", Options{Torrent: "t", Save: "s", LSD: true}, []string{"--lsd"}, "", nil},
		{"utp only", Options{Torrent: "t", Save: "s", UTPOnly: true, UTP: true}, []string{"--utp-only"}, "--no-utp", nil},
		{"timeout", Options{Torrent: "t", Save: "s", Timeout: 1500 * time.Millisecond}, []string{"--timeout", "1.500"}, "", nil},
		{"trackers", Options{Torrent: "t", Save: "s", Trackers: []string{"udp://127.0.0.1:1"}},
			[]string{"--tracker", "udp://127.0.0.1:1"}, "", nil},
		{"neither", Options{Save: "s"}, nil, "", ErrBadOptions},
		{"both", Options{Torrent: "t", Magnet: "m", Save: "s"}, nil, "", ErrBadOptions},
		{"no save", Options{Torrent: "t"}, nil, "", ErrBadOptions},
		{"bad peer", Options{Torrent: "t", Save: "s", Peers: []string{"x"}}, nil, "", ErrBadOptions},
		{"negative", Options{Torrent: "t", Save: "s", UploadLimit: -1}, nil, "", ErrBadOptions},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args, err := scriptArgs("download", tc.o)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if args[0] != "download" || !slices.Contains(args, "127.0.0.1:0") {
				t.Errorf("args %q lack the mode or the loopback listen address", args)
			}
			joined := "\x00" + strings.Join(args, "\x00") + "\x00"
			if !strings.Contains(joined, "\x00"+strings.Join(tc.want, "\x00")+"\x00") {
				t.Errorf("args %q lack %q", args, tc.want)
			}
			if tc.absent != "" && slices.Contains(args, tc.absent) {
				t.Errorf("args %q contain %q", args, tc.absent)
			}
		})
	}
}

func TestFreePort(t *testing.T) {
	for _, network := range []string{"tcp", "udp", "tcp4", "udp4"} {
		p, err := FreePort(network)
		if err != nil || p <= 0 || p > 65535 {
			t.Errorf("FreePort(%q) = %d, %v", network, p, err)
		}
	}
	if _, err := FreePort("unix"); !errors.Is(err, ErrBadOptions) {
		t.Errorf("FreePort(unix) error %v, want ErrBadOptions", err)
	}
}
