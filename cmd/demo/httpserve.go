package main

import (
	"flag"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/actorrent/actorrent"
)

// httpFlag is download's -http flag: where to serve the torrent's files
// while it downloads, each at /<its path inside the torrent> with range
// requests (http.ServeContent on a TorrentHandle.NewReader): a player
// asking for a range near the end of a file gets it long before the
// download is done, the pieces it reads being asked first.
type httpFlag struct{ addr string }

func addHTTPFlag(fs *flag.FlagSet) *httpFlag {
	h := &httpFlag{}
	fs.StringVar(&h.addr, "http", "", "serve the torrent's files at http://`ADDR`/<path> while downloading, and after until interrupted (empty: none)")
	return h
}

// serve starts the server (nothing without -http) for the torrent ih of
// s and says where on stderr; stop closes it.
func (f *httpFlag) serve(s *actorrent.Session, ih actorrent.InfoHash, stderr io.Writer) (stop func() error, err error) {
	if f == nil || f.addr == "" {
		return func() error { return nil }, nil
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return nil, fmt.Errorf("http: %w", err)
	}
	srv := &http.Server{
		Handler:           &fileServer{s: s, ih: ih},
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	stop = serveOn(ln, srv)
	fmt.Fprintf(stderr, "serving the torrent's files on http://%s/\n", ln.Addr())
	return stop, nil
}

// fileServer serves one torrent's files: / lists them, /<path> streams one.
type fileServer struct {
	s  *actorrent.Session
	ih actorrent.InfoHash
}

func (f *fileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h, ok, err := f.s.FindTorrent(ctx, f.ih)
	if err != nil || !ok {
		http.Error(w, "torrent not in the session", http.StatusServiceUnavailable)
		return
	}
	ti, err := h.TorrentFile(ctx)
	if err != nil || ti == nil {
		http.Error(w, "no metadata yet", http.StatusServiceUnavailable)
		return
	}
	want := strings.TrimPrefix(r.URL.Path, "/")
	if want == "" {
		listFiles(w, ti)
		return
	}
	for i, fe := range ti.Files() {
		if fe.PadFile || filepath.ToSlash(fe.Path) != want {
			continue
		}
		rd, err := h.NewReader(ctx, i)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rd.Close()
		// No modification time: a file being downloaded has none yet.
		http.ServeContent(w, r, filepath.Base(fe.Path), time.Time{}, rd)
		return
	}
	http.NotFound(w, r)
}

// listFiles writes a page linking every file.
func listFiles(w http.ResponseWriter, ti *actorrent.TorrentInfo) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html><title>%s</title><ul>\n", html.EscapeString(ti.Name()))
	for _, fe := range ti.Files() {
		if fe.PadFile {
			continue
		}
		p := filepath.ToSlash(fe.Path)
		fmt.Fprintf(w, "<li><a href=\"/%s\">%s</a> (%d bytes)\n", html.EscapeString(p), html.EscapeString(p), fe.Size)
	}
	fmt.Fprintln(w, "</ul>")
}
