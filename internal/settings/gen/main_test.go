package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesFresh fails when table.tsv changed and `go generate
// ./internal/settings` was not run: the Go names, the definitions and
// SETTINGS.md must say what the table says.
func TestGeneratedFilesFresh(t *testing.T) {
	root := "../../.."
	table, err := os.ReadFile(filepath.Join(root, "internal/settings/table.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Parse(table)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 212 {
		t.Errorf("table.tsv has %d settings; libtorrent's settings_pack has 212", len(rows))
	}
	for name, want := range map[string][]byte{
		"internal/settings/defs_gen.go": Defs(rows),
		"settings_names_gen.go":         Names(rows),
		"SETTINGS.md":                   Doc(rows),
	} {
		got, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./internal/settings", name)
		}
	}
}

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"max_pex_peers": "MaxPEXPeers", "dht_upload_rate_limit": "DHTUploadRateLimit",
		"enable_upnp": "EnableUPnP", "urlseed_timeout": "URLSeedTimeout", "user_agent": "UserAgent",
	} {
		if got := GoName(in); got != want {
			t.Errorf("GoName(%q) = %q, want %q", in, got, want)
		}
	}
}
