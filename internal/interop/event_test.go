package interop

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseEvent(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    Event
		wantErr bool
	}{
		{"listening", `{"event":"listening","port":6881}`, Event{Event: "listening", Port: 6881}, false},
		{"finished", `{"event":"finished","seconds":1.5,"total_download":300,"max_rss_kib":4096,"cpu_seconds":0.25,"progress":1.0,"state":"seeding"}`,
			Event{Event: "finished", Seconds: 1.5, TotalDownload: 300, MaxRSSKiB: 4096, CPUSeconds: 0.25, Progress: 1, State: "seeding"}, false},
		{"alert", `{"event":"alert","type":"peer_error","message":"boom"}`, Event{Event: "alert", Type: "peer_error", Message: "boom"}, false},
		{"added", `{"event":"added","info_hash":"00ff"}`, Event{Event: "added", InfoHash: "00ff"}, false},
		{"traceback", `Traceback (most recent call last):`, Event{}, true},
		{"array", `[1,2]`, Event{}, true},
		{"null", `null`, Event{}, true},
		{"no event", `{"port":1}`, Event{}, true},
		{"wrong type", `{"event":"listening","port":"x"}`, Event{}, true},
		{"empty", ``, Event{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseEvent([]byte(tc.line))
			if tc.wantErr {
				if !errors.Is(err, ErrBadEvent) {
					t.Fatalf("error %v, want ErrBadEvent", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Raw["event"] != tc.want.Event {
				t.Errorf("Raw lacks the event: %v", got.Raw)
			}
			got.Raw = nil
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// FuzzParseEvent: lines come from another process and may be anything;
// parseEvent must never panic and must either fail with ErrBadEvent or
// return a named event with Raw set.
func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(`{"event":"listening","port":6881}`))
	f.Add([]byte(`{"event":"progress","progress":0.5,"total_download":1e3}`))
	f.Add([]byte(`{"event":1}`))
	f.Add([]byte(`Fatal Python error`))
	f.Fuzz(func(t *testing.T, line []byte) {
		ev, err := parseEvent(line)
		if err != nil {
			if !errors.Is(err, ErrBadEvent) {
				t.Fatalf("error %v is not ErrBadEvent", err)
			}
			return
		}
		if ev.Event == "" || ev.Raw == nil {
			t.Fatalf("accepted event without name or Raw: %+v", ev)
		}
	})
}

func TestDecodeInfoHash(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"582e1901e56ddf4d154ba1f59401f7c44cb1a96c", true},
		{"582E1901E56DDF4D154BA1F59401F7C44CB1A96C", true},
		{"582e", false},
		{"zz2e1901e56ddf4d154ba1f59401f7c44cb1a96c", false},
		{"", false},
	}
	for _, tc := range tests {
		ih, err := decodeInfoHash(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("decodeInfoHash(%q) error %v, want ok=%v", tc.in, err, tc.ok)
		}
		if tc.ok && ih[0] != 0x58 {
			t.Errorf("decodeInfoHash(%q) = %x", tc.in, ih)
		}
	}
}
