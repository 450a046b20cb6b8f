package sessionactor

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
)

func (s *testSession) class(id ratelimit.ClassID) ratelimit.Class {
	s.t.Helper()
	r := request(s.t, s.sys, s.pid, &messages.GetPeerClass{ID: id}).(*messages.PeerClassReply)
	if r.Err != nil {
		s.t.Fatalf("GetPeerClass(%d): %v", id, r.Err)
	}
	return r.Class
}

func (s *testSession) apply(values map[string]any) {
	s.t.Helper()
	if r := request(s.t, s.sys, s.pid, &messages.ApplySettings{Values: values}).(*messages.ApplySettingsReply); r.Err != nil {
		s.t.Fatal(r.Err)
	}
}

func (s *testSession) classFilter() *ipfilter.IPFilter {
	s.t.Helper()
	return request(s.t, s.sys, s.pid, &messages.GetPeerClassFilter{}).(*messages.PeerClassFilterReply).Filter
}

// The rate-limit settings are the built-in classes' limits, at start and
// when applied at runtime; a limit set on a class stays until its setting
// changes.
func TestRateLimitSettingsSetClassLimits(t *testing.T) {
	sys := actors.NewSystem(nil)
	t.Cleanup(sys.Shutdown) // after the session's own cleanup (startSession), which closes it
	set, err := settings.Default().With(map[string]any{"upload_rate_limit": 1000, "local_download_rate_limit": 3000})
	if err != nil {
		t.Fatal(err)
	}
	s := startSession(t, sys, Config{Settings: set})
	limits := func() [4]int64 {
		g, l := s.class(ratelimit.GlobalClass), s.class(ratelimit.LocalClass)
		return [4]int64{g.UploadLimit, g.DownloadLimit, l.UploadLimit, l.DownloadLimit}
	}
	if got, want := limits(), [4]int64{1000, 0, 0, 3000}; got != want {
		t.Fatalf("at start: global up/down, local up/down = %v, want %v", got, want)
	}
	s.apply(map[string]any{"download_rate_limit": 2000, "upload_rate_limit": -1, "local_upload_rate_limit": 500})
	if got, want := limits(), [4]int64{0, 2000, 500, 3000}; got != want {
		t.Fatalf("after ApplySettings: %v, want %v", got, want)
	}
	g := s.class(ratelimit.GlobalClass)
	g.UploadLimit = 7000
	if r := request(t, sys, s.pid, &messages.SetPeerClass{ID: ratelimit.GlobalClass, Class: g}).(*messages.PeerClassReply); r.Err != nil {
		t.Fatal(r.Err)
	}
	s.apply(map[string]any{"download_rate_limit": 4000})
	if got, want := limits(), [4]int64{7000, 4000, 500, 3000}; got != want {
		t.Fatalf("a setting that did not change overrode SetPeerClass: %v, want %v", got, want)
	}
}

// ignore_limits_on_local_network (on by default) puts loopback and LAN
// addresses in the local class; turning it off resets the class filter
// to everything global, and on again to the default.
func TestIgnoreLimitsOnLocalNetwork(t *testing.T) {
	sys := actors.NewSystem(nil)
	t.Cleanup(sys.Shutdown) // after the session's own cleanup (startSession), which closes it
	s := startSession(t, sys, Config{})
	lo, lan := netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("192.168.0.9")
	global, local := ratelimit.Mask(ratelimit.GlobalClass), ratelimit.Mask(ratelimit.LocalClass)
	for _, step := range []struct {
		set  map[string]any
		want uint32
	}{
		{nil, local},
		{map[string]any{"ignore_limits_on_local_network": false}, global},
		{map[string]any{"ignore_limits_on_local_network": true}, local},
	} {
		if step.set != nil {
			s.apply(step.set)
		}
		f := s.classFilter()
		if f.Access(lo) != step.want || f.Access(lan) != step.want {
			t.Fatalf("after %v: 127.0.0.1 in %b, 192.168.0.9 in %b, want %b", step.set, f.Access(lo), f.Access(lan), step.want)
		}
	}
}

// The class messages: create, set, get, delete, and both filters.
func TestPeerClassMessages(t *testing.T) {
	sys := actors.NewSystem(nil)
	t.Cleanup(sys.Shutdown) // after the session's own cleanup (startSession), which closes it
	s := startSession(t, sys, Config{})
	r := request(t, sys, s.pid, &messages.CreatePeerClass{Label: "slow"}).(*messages.PeerClassReply)
	if r.Err != nil || r.ID <= ratelimit.LocalClass {
		t.Fatalf("CreatePeerClass = %+v", r)
	}
	id := r.ID
	want := ratelimit.Class{Label: "slow", UploadLimit: 10_000, DownloadLimit: 20_000, UploadPriority: 3, DownloadPriority: 4, ConnectionLimitFactor: 50}
	if r := request(t, sys, s.pid, &messages.SetPeerClass{ID: id, Class: want}).(*messages.PeerClassReply); r.Err != nil {
		t.Fatal(r.Err)
	}
	if got := s.class(id); got != want {
		t.Fatalf("GetPeerClass = %+v, want %+v", got, want)
	}
	if r := request(t, sys, s.pid, &messages.DeletePeerClass{ID: ratelimit.GlobalClass}).(*messages.PeerClassReply); !errors.Is(r.Err, ratelimit.ErrBuiltinClass) {
		t.Errorf("deleting the global class: %v", r.Err)
	}
	if r := request(t, sys, s.pid, &messages.DeletePeerClass{ID: id}).(*messages.PeerClassReply); r.Err != nil {
		t.Fatal(r.Err)
	}
	if r := request(t, sys, s.pid, &messages.GetPeerClass{ID: id}).(*messages.PeerClassReply); !errors.Is(r.Err, ratelimit.ErrUnknownClass) {
		t.Errorf("GetPeerClass of a deleted class: %v", r.Err)
	}

	var f ipfilter.IPFilter
	a := netip.MustParseAddr("198.51.100.1")
	if err := f.AddRule(a, a, ratelimit.Mask(ratelimit.TCPClass)); err != nil {
		t.Fatal(err)
	}
	request(t, sys, s.pid, &messages.SetPeerClassFilter{Filter: f.Clone()})
	if got := s.classFilter(); !got.Equal(&f) {
		t.Error("GetPeerClassFilter does not return the filter set")
	}
	tf := ratelimit.DefaultTypeFilter()
	tf.Disallow(ratelimit.TCPSocket, ratelimit.GlobalClass)
	request(t, sys, s.pid, &messages.SetPeerClassTypeFilter{Filter: tf})
	if got := request(t, sys, s.pid, &messages.GetPeerClassTypeFilter{}).(*messages.PeerClassTypeFilterReply).Filter; got != tf {
		t.Error("GetPeerClassTypeFilter does not return the filter set")
	}
}
