package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedFileFresh fails when an alert type in messages/ changed and
// `go generate` was not run: the facade must have every alert, no more.
func TestGeneratedFileFresh(t *testing.T) {
	root := "../.."
	want, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, genFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go generate . (in the module root)", genFile)
	}
}

// TestScanFindsAlerts checks the scan on the real package: torrent alerts
// get a handle, session alerts do not, and hand-written ones are kept.
func TestScanFindsAlerts(t *testing.T) {
	alerts, err := scanMessages("../../messages")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, a := range alerts {
		kinds[a.Name] = a.Torrent
	}
	for name, torrent := range map[string]bool{
		"TorrentFinishedAlert": true, "PeerConnectAlert": true, "TrackerReplyAlert": true,
		"ListenSucceededAlert": false, "ActorFailedAlert": false,
	} {
		got, ok := kinds[name]
		if !ok || got != torrent {
			t.Errorf("%s: found %v, torrent alert %v; want found, torrent %v", name, ok, got, torrent)
		}
	}
	if len(alerts) < 40 {
		t.Errorf("found %d alerts, want at least 40", len(alerts))
	}
	out, err := Generate("../..")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "return s.wrapAddTorrentAlert(a)") {
		t.Error("AddTorrentAlert, declared by hand, is not converted by its wrap method")
	}
}
