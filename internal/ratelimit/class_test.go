package ratelimit

import (
	"errors"
	"testing"
)

func TestRegistryBuiltins(t *testing.T) {
	r := NewRegistry()
	for _, tc := range []struct {
		id     ClassID
		label  string
		ignore bool
		factor int
	}{
		{GlobalClass, "global", false, 100},
		{TCPClass, "tcp", false, 100},
		{LocalClass, "local", true, 150},
	} {
		c, err := r.Get(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		want := Class{Label: tc.label, UploadPriority: 1, DownloadPriority: 1,
			ConnectionLimitFactor: tc.factor, IgnoreUnchokeSlots: tc.ignore}
		if c != want {
			t.Errorf("class %d = %+v, want %+v", tc.id, c, want)
		}
		if err := r.Delete(tc.id); !errors.Is(err, ErrBuiltinClass) {
			t.Errorf("Delete(%d) = %v, want ErrBuiltinClass", tc.id, err)
		}
	}
}

// The ids match what libtorrent 2.0.8 hands out for the same calls.
func TestRegistryIDsAreReusedAsLibtorrent(t *testing.T) {
	r := NewRegistry()
	create := func() ClassID {
		id, err := r.Create("x")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a, b, c := create(), create(), create()
	if a != 3 || b != 4 || c != 5 {
		t.Fatalf("ids %d %d %d, want 3 4 5", a, b, c)
	}
	if err := r.Delete(a); err != nil {
		t.Fatal(err)
	}
	if err := r.Delete(c); err != nil {
		t.Fatal(err)
	}
	if err := r.Delete(c); !errors.Is(err, ErrUnknownClass) {
		t.Fatalf("deleting twice = %v, want ErrUnknownClass", err)
	}
	if d, e, f := create(), create(), create(); d != 5 || e != 3 || f != 6 {
		t.Fatalf("ids after deleting 3 and 5: %d %d %d, want 5 3 6", d, e, f)
	}
	for id := ClassID(7); id < MaxClasses; id++ {
		if got := create(); got != id {
			t.Fatalf("id %d, want %d", got, id)
		}
	}
	if _, err := r.Create("33rd"); !errors.Is(err, ErrTooManyClasses) {
		t.Fatalf("Create of a 33rd class = %v, want ErrTooManyClasses", err)
	}
	if err := r.Delete(31); err != nil {
		t.Fatal(err)
	}
	if got := create(); got != 31 {
		t.Fatalf("id %d after freeing 31, want 31", got)
	}
	for _, id := range []ClassID{32, 1000} {
		if _, err := r.Get(id); !errors.Is(err, ErrUnknownClass) {
			t.Errorf("Get(%d) = %v", id, err)
		}
		if err := r.Delete(id); !errors.Is(err, ErrUnknownClass) {
			t.Errorf("Delete(%d) = %v", id, err)
		}
		if r.Channel(id, Upload) != nil || r.Exists(id) {
			t.Errorf("class %d exists", id)
		}
	}
}

func TestRegistrySetNormalisesAsLibtorrent(t *testing.T) {
	r := NewRegistry()
	id, _ := r.Create("x")
	in := Class{Label: "x", UploadLimit: 5, DownloadLimit: -1, UploadPriority: 300,
		DownloadPriority: 0, ConnectionLimitFactor: 7, IgnoreUnchokeSlots: true}
	if err := r.Set(id, in, t0); err != nil {
		t.Fatal(err)
	}
	got, _ := r.Get(id)
	// what libtorrent 2.0.8's get_peer_class returns for the same set_peer_class
	want := Class{Label: "x", UploadLimit: 10, DownloadLimit: 0, UploadPriority: 255,
		DownloadPriority: 1, ConnectionLimitFactor: 7, IgnoreUnchokeSlots: true}
	if got != want {
		t.Errorf("Get after Set = %+v, want %+v", got, want)
	}
	if c := r.Channel(id, Upload); c.Limit() != 10 || c.Priority() != 255 {
		t.Errorf("upload channel limit %d priority %d", c.Limit(), c.Priority())
	}
	if err := r.SetLimit(id, Download, 3, t0); err != nil || r.Channel(id, Download).Limit() != 10 {
		t.Errorf("SetLimit(3) = %v, limit %d, want 10", err, r.Channel(id, Download).Limit())
	}
	if err := r.Set(99, in, t0); !errors.Is(err, ErrUnknownClass) {
		t.Errorf("Set on an unknown class = %v", err)
	}
	if err := r.SetLimit(9, Upload, 1, t0); !errors.Is(err, ErrUnknownClass) {
		t.Errorf("SetLimit on an unknown class = %v", err)
	}
}

func TestRegistryMasks(t *testing.T) {
	r := NewRegistry()
	a, _ := r.Create("a")
	b, _ := r.Create("b")
	_ = r.Set(b, Class{ConnectionLimitFactor: 300, UploadPriority: 1, DownloadPriority: 1}, t0)
	for _, tc := range []struct {
		mask   uint32
		chans  []*Channel
		ignore bool
		factor int
	}{
		{0, nil, false, 100},
		{Mask(GlobalClass, TCPClass), []*Channel{r.Channel(GlobalClass, Download), r.Channel(TCPClass, Download)}, false, 100},
		{Mask(LocalClass, TCPClass), []*Channel{r.Channel(TCPClass, Download), r.Channel(LocalClass, Download)}, true, 150},
		{Mask(a, 20, 31) | 1<<30, []*Channel{r.Channel(a, Download)}, false, 100}, // unknown ids skipped
		{Mask(b, LocalClass), []*Channel{r.Channel(LocalClass, Download), r.Channel(b, Download)}, true, 300},
	} {
		got := r.Channels(tc.mask, Download, nil)
		if len(got) != len(tc.chans) {
			t.Errorf("mask %#x: %d channels, want %d", tc.mask, len(got), len(tc.chans))
		} else {
			for i := range got {
				if got[i] != tc.chans[i] {
					t.Errorf("mask %#x: channel %d differs", tc.mask, i)
				}
			}
		}
		if r.IgnoreUnchokeSlots(tc.mask) != tc.ignore {
			t.Errorf("mask %#x: IgnoreUnchokeSlots %v", tc.mask, !tc.ignore)
		}
		if f := r.ConnectionLimitFactor(tc.mask); f != tc.factor {
			t.Errorf("mask %#x: ConnectionLimitFactor %d, want %d", tc.mask, f, tc.factor)
		}
	}
	if r.Channel(GlobalClass, Upload) == r.Channel(GlobalClass, Download) {
		t.Error("upload and download share a channel")
	}
	if Mask(0, 31, 32, 40) != 1|1<<31 {
		t.Errorf("Mask = %#x", Mask(0, 31, 32, 40))
	}
}

func TestConnectionLimit(t *testing.T) {
	for _, tc := range []struct{ limit, factor, want int }{
		{200, 100, 200}, {200, 150, 300}, {200, 0, 200}, {200, 50, 100}, {0, 150, 0},
	} {
		if got := ConnectionLimit(tc.limit, tc.factor); got != tc.want {
			t.Errorf("ConnectionLimit(%d, %d) = %d, want %d", tc.limit, tc.factor, got, tc.want)
		}
	}
}
