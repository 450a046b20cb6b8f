package httptracker

import (
	"compress/gzip"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
)

// serve starts a tracker on 127.0.0.1 (httptest's default) and a Client for
// it; both are closed when the test ends.
func serve(t *testing.T, h http.HandlerFunc, opts Options) (*httptest.Server, *Client) {
	t.Helper()
	srv := httptest.NewServer(h)
	c := New(opts)
	t.Cleanup(func() {
		c.CloseIdleConnections()
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv, c
}

func reply(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }
}

var testReq = tracker.AnnounceRequest{
	InfoHash: hash(0x20), PeerID: [20]byte{'-', 'A', 'T', '0', '1', '0', '0', '-', 0, '+', 0xfe},
	Port: 51413, Left: 1 << 40, Event: tracker.EventStarted, NumWant: 200, Key: 0xdeadbeef, Compact: true,
}

func announce(t *testing.T, c *Client, u string) (tracker.AnnounceResponse, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return c.Announce(ctx, u, testReq)
}

func TestAnnounceQueryAsTheTrackerSeesIt(t *testing.T) {
	var got url.Values
	var ua, path string
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got, path, ua = r.URL.Query(), r.URL.Path, r.UserAgent()
		_, _ = w.Write([]byte(opentrackerReply))
	}, Options{UserAgent: "test/1"})
	if _, err := announce(t, c, srv.URL+"/announce?passkey=s3cr%2Bt"); err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"passkey": {"s3cr+t"}, "info_hash": {string(testReq.InfoHash[:])}, "peer_id": {string(testReq.PeerID[:])},
		"port": {"51413"}, "uploaded": {"0"}, "downloaded": {"0"}, "left": {"1099511627776"},
		"key": {"deadbeef"}, "event": {"started"}, "numwant": {"200"}, "compact": {"1"}, "no_peer_id": {"1"},
	}
	if !reflect.DeepEqual(got, want) || path != "/announce" || ua != "test/1" {
		t.Fatalf("tracker saw %v %q (UA %q)\nwant %v", got, path, ua, want)
	}
}

func TestAnnounceReplies(t *testing.T) {
	tests := []struct {
		name  string
		h     http.HandlerFunc
		peers int
		check func(*testing.T, tracker.AnnounceResponse, error)
	}{
		{"compact", reply(opentrackerReply), 2, nil},
		{"dictionary", reply(dictPeersReply), 2, nil},
		{"peers6", reply("d8:intervali60e6:peers6" + b(compact6("[::1]:6881")) + "e"), 1, nil},
		{"warning", reply("d8:intervali60e15:warning message4:hmm.e"), 0, func(t *testing.T, r tracker.AnnounceResponse, _ error) {
			if r.Warning != "hmm." {
				t.Fatalf("warning %q", r.Warning)
			}
		}},
		{"failure reason", reply(failureReply), 0, func(t *testing.T, _ tracker.AnnounceResponse, err error) {
			var fe *tracker.FailureError
			if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "not authorized") {
				t.Fatalf("err %v", err)
			}
		}},
		{"500", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "oops", 500) }, 0, func(t *testing.T, _ tracker.AnnounceResponse, err error) {
			var se *tracker.StatusError
			if !errors.As(err, &se) || se.Code != 500 || se.Reason != "" {
				t.Fatalf("err %v", err)
			}
		}},
		{"404 with a failure reason", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(404)
			_, _ = w.Write([]byte("d14:failure reason12:unregisterede"))
		}, 0, func(t *testing.T, _ tracker.AnnounceResponse, err error) {
			var se *tracker.StatusError
			if !errors.As(err, &se) || se.Code != 404 || se.Reason != "unregistered" {
				t.Fatalf("err %v", err)
			}
		}},
		{"garbage", reply("<html><body>Welcome to nginx!</body></html>"), 0, func(t *testing.T, _ tracker.AnnounceResponse, err error) {
			if !errors.Is(err, tracker.ErrInvalidResponse) {
				t.Fatalf("err %v", err)
			}
		}},
		{"empty body", reply(""), 0, func(t *testing.T, _ tracker.AnnounceResponse, err error) {
			if !errors.Is(err, tracker.ErrInvalidResponse) {
				t.Fatalf("err %v", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := serve(t, tc.h, Options{})
			r, err := announce(t, c, srv.URL+"/announce")
			if tc.check != nil {
				tc.check(t, r, err)
				return
			}
			if err != nil || len(r.Peers) != tc.peers {
				t.Fatalf("%d peers, %v", len(r.Peers), err)
			}
		})
	}
}

// TestHugeBody: a tracker that sends without end is cut off at the limit,
// and the rest is never read (the server's writes fail long before the end).
func TestHugeBody(t *testing.T) {
	const total = 256 << 20
	written := make(chan int64, 1)
	srv, c := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		chunk := []byte(strings.Repeat("d", 64<<10))
		var n int64
		for n < total {
			m, err := w.Write(chunk)
			n += int64(m)
			if err != nil {
				break
			}
		}
		written <- n
	}, Options{MaxResponseSize: 64 << 10})
	_, err := announce(t, c, srv.URL+"/announce")
	if !errors.Is(err, tracker.ErrResponseTooLarge) {
		t.Fatalf("err %v", err)
	}
	if n := <-written; n >= total {
		t.Fatalf("server wrote all %d bytes: the body was read to the end", n)
	}
}

func TestContentLengthTooLarge(t *testing.T) {
	srv, c := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "100000000")
		_, _ = w.Write([]byte("d8:interval"))
	}, Options{})
	if _, err := announce(t, c, srv.URL+"/announce"); !errors.Is(err, tracker.ErrResponseTooLarge) {
		t.Fatalf("err %v", err)
	}
}

// TestGzipBomb: the limit applies to the decompressed body.
func TestGzipBomb(t *testing.T) {
	srv, c := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zeros := make([]byte, 1<<20)
		for i := 0; i < 16; i++ {
			if _, err := zw.Write(zeros); err != nil {
				return
			}
		}
		_ = zw.Close()
	}, Options{MaxResponseSize: 1 << 20})
	if _, err := announce(t, c, srv.URL+"/announce"); !errors.Is(err, tracker.ErrResponseTooLarge) {
		t.Fatalf("err %v", err)
	}
}

// stall returns a handler that, after writing prefix, waits until the
// client goes away. It reports each request's start and end on the two
// channels, so a test can wait for the handler before it returns.
func stall(prefix string) (h http.HandlerFunc, started, done chan struct{}) {
	started, done = make(chan struct{}, 8), make(chan struct{}, 8)
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() { done <- struct{}{} }()
		started <- struct{}{}
		if prefix != "" {
			w.Header().Set("Content-Length", "1000")
			_, _ = w.Write([]byte(prefix))
			w.(http.Flusher).Flush()
		}
		<-r.Context().Done()
	}, started, done
}

func TestSlowTracker(t *testing.T) {
	for _, prefix := range []string{"", "d8:interval"} {
		name := map[string]string{"": "no headers", "d8:interval": "body stalls"}[prefix]
		t.Run(name, func(t *testing.T) {
			h, _, done := stall(prefix)
			srv, c := serve(t, h, Options{ReceiveTimeout: 50 * time.Millisecond})
			_, err := announce(t, c, srv.URL+"/announce")
			if !errors.Is(err, tracker.ErrTimeout) {
				t.Fatalf("err %v", err)
			}
			<-done
		})
	}
}

// TestTrickle: a tracker that keeps sending a byte at a time never trips
// the receive timeout but does trip the completion timeout.
func TestTrickle(t *testing.T) {
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				if _, err := w.Write([]byte("l")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}
	}, Options{ReceiveTimeout: 5 * time.Second, CompletionTimeout: 200 * time.Millisecond})
	_, err := announce(t, c, srv.URL+"/announce")
	if !errors.Is(err, tracker.ErrTimeout) || !strings.Contains(err.Error(), "no reply within") {
		t.Fatalf("err %v", err)
	}
}

func TestCallerContext(t *testing.T) {
	h, started, done := stall("")
	srv, c := serve(t, h, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.Announce(ctx, srv.URL+"/announce", testReq)
		errc <- err
	}()
	<-started
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) || errors.Is(err, tracker.ErrTimeout) {
		t.Fatalf("cancelled: %v", err)
	}
	<-done
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Announce(ctx, srv.URL+"/announce", testReq)
	if !errors.Is(err, tracker.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("deadline: %v", err)
	}
	if len(started) > 0 {
		<-done
	}
}

func TestRedirects(t *testing.T) {
	var newQuery atomic.Value
	mux := http.NewServeMux()
	mux.HandleFunc("/old/announce", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new/announce?"+r.URL.RawQuery, http.StatusMovedPermanently)
	})
	mux.HandleFunc("/new/announce", func(w http.ResponseWriter, r *http.Request) {
		newQuery.Store(r.URL.Query().Get("info_hash"))
		_, _ = w.Write([]byte(opentrackerReply))
	})
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) })
	var hops atomic.Int64
	mux.HandleFunc("/hop/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hop/"+strings.Repeat("x", int(hops.Add(1))), http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/udp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "udp://127.0.0.1:1/announce", http.StatusFound)
	})
	srv, c := serve(t, mux.ServeHTTP, Options{MaxRedirects: 3})

	r, err := announce(t, c, srv.URL+"/old/announce")
	if err != nil || len(r.Peers) != 2 || newQuery.Load() != string(testReq.InfoHash[:]) {
		t.Fatalf("redirect to another announce: %v, %v, %q", r, err, newQuery.Load())
	}
	if _, err := announce(t, c, srv.URL+"/a"); !errors.Is(err, ErrRedirectLoop) {
		t.Fatalf("loop: %v", err)
	}
	if _, err := announce(t, c, srv.URL+"/hop/"); !errors.Is(err, ErrTooManyRedirects) || hops.Load() != 4 {
		t.Fatalf("chain: %v after %d hops", err, hops.Load())
	}
	if _, err := announce(t, c, srv.URL+"/udp"); !errors.Is(err, ErrBadURL) {
		t.Fatalf("to udp: %v", err)
	}
	none := New(Options{MaxRedirects: -1})
	defer none.CloseIdleConnections()
	if _, err := announce(t, none, srv.URL+"/old/announce"); !errors.Is(err, ErrTooManyRedirects) {
		t.Fatalf("no redirects allowed: %v", err)
	}
}

func TestScrape(t *testing.T) {
	h1, h2, other := hash(1), hash(2), hash(3)
	var asked []string
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/x/scrape.php" {
			http.NotFound(w, r)
			return
		}
		asked = r.URL.Query()["info_hash"]
		_, _ = w.Write([]byte("d5:filesd" +
			b(string(h1[:])) + "d8:completei4e10:downloadedi9e10:incompletei2ee" +
			b(string(other[:])) + "d8:completei1eeee"))
	}, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, err := c.Scrape(ctx, srv.URL+"/x/announce.php?pk=1", h1, h2)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[[20]byte]tracker.ScrapeResponse{h1: sr(4, 2, 9)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
	if len(asked) != 2 || asked[0] != string(h1[:]) || asked[1] != string(h2[:]) {
		t.Fatalf("tracker was asked %q", asked)
	}
	if _, err := c.Scrape(ctx, srv.URL+"/x/tracker", h1); !errors.Is(err, tracker.ErrNotScrapable) {
		t.Fatalf("not scrapable: %v", err)
	}
	if _, err := c.Scrape(ctx, srv.URL+"/x/announce.php"); err == nil {
		t.Fatal("scrape of nothing")
	}
	if _, err := c.Scrape(ctx, srv.URL+"/announce", h1); err == nil {
		t.Fatal("404 scrape succeeded")
	}
}

func TestBadURLs(t *testing.T) {
	c := New(Options{})
	for _, u := range []string{"udp://127.0.0.1:1/announce", "127.0.0.1/announce", "http://", "http://[::1/announce"} {
		if _, err := announce(t, c, u); !errors.Is(err, ErrBadURL) {
			t.Errorf("%q: %v", u, err)
		}
	}
}

func TestAddressFamily(t *testing.T) {
	var networks []string
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		networks = append(networks, network)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	srv, c4 := serve(t, reply(opentrackerReply), Options{Network: "tcp4", DialContext: dial})
	if _, err := announce(t, c4, srv.URL+"/announce"); err != nil || len(networks) != 1 || networks[0] != "tcp4" {
		t.Fatalf("tcp4: %v, dialled %v", err, networks)
	}
	// 127.0.0.1 cannot be reached over IPv6.
	c6 := New(Options{Network: "tcp6"})
	defer c6.CloseIdleConnections()
	if _, err := announce(t, c6, srv.URL+"/announce"); err == nil {
		t.Fatal("tcp6 reached an IPv4 address")
	}
}

func TestCustomHTTPClient(t *testing.T) {
	var used atomic.Bool
	srv, _ := serve(t, reply(opentrackerReply), Options{})
	base := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		used.Store(true)
		return http.DefaultTransport.RoundTrip(r)
	})}
	c := New(Options{HTTPClient: base})
	defer http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	if _, err := announce(t, c, srv.URL+"/announce"); err != nil || !used.Load() {
		t.Fatalf("%v, used=%v", err, used.Load())
	}
	if base.CheckRedirect != nil {
		t.Fatal("the caller's client was modified")
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
