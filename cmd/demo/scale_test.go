package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// demo scale measures what make bench's scale lines read: a few torrents
// suffice to check the JSON it prints.
func TestScaleCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"scale", "add", "20", t.TempDir()}, &out, &errb); code != 0 {
		t.Fatalf("scale add: exit %d: %s", code, errb.String())
	}
	var add scaleFigures
	if err := json.Unmarshal(out.Bytes(), &add); err != nil || add.Seconds <= 0 || add.RSSAfterKiB <= 0 {
		t.Fatalf("scale add printed %q (%v)", out.String(), err)
	}
	out.Reset()
	if code := run([]string{"scale", "idle", "20", t.TempDir(), "0.1"}, &out, &errb); code != 0 {
		t.Fatalf("scale idle: exit %d: %s", code, errb.String())
	}
	var idle scaleFigures
	if err := json.Unmarshal(out.Bytes(), &idle); err != nil || idle.StatusCount != 20 || idle.WallSeconds <= 0 {
		t.Fatalf("scale idle printed %q (%v)", out.String(), err)
	}
	for _, bad := range [][]string{{"scale", "sideways"}, {"scale", "add", "x", "d"}, {"scale", "idle", "3", "d"}, {"scale", "spin", "3", "d"}} {
		if code := run(bad, &out, &errb); code != exitUsage {
			t.Fatalf("%v: exit %d, want the usage code", bad, code)
		}
	}
}
