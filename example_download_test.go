package actorrent_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/actorrent/actorrent"
)

// exampleSwarm starts a session seeding one file of 1 MiB under a temporary
// directory and returns the session, its address, the .torrent's path and
// a cleanup. The examples below download from it.
func exampleSwarm(ctx context.Context) (seed *actorrent.Session, addr, torrentFile string, done func(), err error) {
	dir, err := os.MkdirTemp("", "example-seed")
	if err != nil {
		return nil, "", "", func() {}, err // done is never nil
	}
	done = func() { os.RemoveAll(dir) }
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	if err = os.WriteFile(filepath.Join(dir, "video.bin"), data, 0o644); err != nil {
		return nil, "", "", done, err
	}
	ti, err := actorrent.CreateTorrent(filepath.Join(dir, "video.bin"), actorrent.CreateTorrentOptions{})
	if err != nil {
		return nil, "", "", done, err
	}
	b, err := ti.Bytes()
	if err != nil {
		return nil, "", "", done, err
	}
	torrentFile = filepath.Join(dir, "video.torrent")
	if err = os.WriteFile(torrentFile, b, 0o644); err != nil {
		return nil, "", "", done, err
	}
	p := actorrent.DefaultSettings()
	p.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	p.SetBool(actorrent.EnableLSD, false) // see newLeecher
	seed, err = actorrent.NewSession(ctx, p)
	if err != nil {
		return nil, "", "", done, err
	}
	stop := done
	done = func() { seed.Close(context.Background()); stop() }
	if _, err = seed.AddTorrent(ctx, actorrent.AddTorrentParams{TI: ti, SavePath: dir, Flags: actorrent.FlagSeedMode}); err != nil {
		return nil, "", "", done, err
	}
	addrs, err := seed.ListenAddrs(ctx)
	if err != nil {
		return nil, "", "", done, err
	}
	return seed, addrs[0], torrentFile, done, nil
}

// newLeecher makes a session that downloads on loopback. libtorrent's
// default alert_mask has errors only: the status and storage categories
// the examples follow are switched on. LSD is off in these examples'
// sessions: two sessions on one IP would find each other through it and
// dial each other at the same moment as the leecher dials the seed, and
// with one connection per IP (allow_multiple_connections_per_ip, off by
// default) each refuses the other's, leaving the download to wait out
// min_reconnect_time (60 s).
func newLeecher(ctx context.Context) (*actorrent.Session, error) {
	p := actorrent.DefaultSettings()
	p.SetStr(actorrent.ListenInterfaces, "127.0.0.1:0")
	p.SetBool(actorrent.EnableLSD, false)
	p.SetInt(actorrent.AlertMask, int(actorrent.CategoryError|actorrent.CategoryStatus|actorrent.CategoryStorage))
	return actorrent.NewSession(ctx, p)
}

// A .torrent file is loaded and downloaded; Subscribe delivers the
// torrent_finished alert. (The seed's address is given with ConnectPeer,
// where a real swarm has trackers.)
func ExampleLoadTorrentFile() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, seedAddr, torrentFile, done, err := exampleSwarm(ctx)
	defer done()
	if err != nil {
		fmt.Println(err)
		return
	}
	ti, err := actorrent.LoadTorrentFile(torrentFile)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := newLeecher(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close(ctx)
	save, _ := os.MkdirTemp("", "example-download")
	defer os.RemoveAll(save)

	alerts, _ := s.Subscribe(ctx, actorrent.CategoryStatus|actorrent.CategoryError)
	h, err := s.AddTorrent(ctx, actorrent.AddTorrentParams{TI: ti, SavePath: save})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = h.ConnectPeer(ctx, seedAddr)
	for a := range alerts {
		switch a := a.(type) {
		case actorrent.TorrentFinishedAlert:
			st, _ := a.Handle.Status(ctx)
			fmt.Println(st.Name, "finished:", st.TotalWantedDone, "bytes")
			return
		case actorrent.TorrentErrorAlert:
			fmt.Println(a.Message())
			return
		}
	}
	// Output:
	// video.bin finished: 1048576 bytes
}

// A magnet link: the metadata comes from the peers first (the x.pe
// parameter names one; trackers, tr, would find others), then the data.
func ExampleSession_AddTorrent_magnet() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, seedAddr, torrentFile, done, err := exampleSwarm(ctx)
	defer done()
	if err != nil {
		fmt.Println(err)
		return
	}
	ti, _ := actorrent.LoadTorrentFile(torrentFile)
	uri := actorrent.MakeMagnetURI(ti) + "&x.pe=" + seedAddr

	params := actorrent.AddTorrentParams{URL: uri}
	s, err := newLeecher(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close(ctx)
	params.SavePath, _ = os.MkdirTemp("", "example-magnet")
	defer os.RemoveAll(params.SavePath)
	alerts, _ := s.Subscribe(ctx, actorrent.CategoryStatus|actorrent.CategoryError)
	if _, err := s.AddTorrent(ctx, params); err != nil {
		fmt.Println(err)
		return
	}
	for a := range alerts {
		switch a := a.(type) {
		case actorrent.MetadataReceivedAlert:
			fmt.Println("metadata received")
		case actorrent.TorrentFinishedAlert:
			st, _ := a.Handle.Status(ctx)
			fmt.Println(st.Name, "finished")
			return
		case actorrent.TorrentErrorAlert:
			fmt.Println(a.Message())
			return
		}
	}
	// Output:
	// metadata received
	// video.bin finished
}

// Resume data saved at shutdown makes the next start skip the check:
// SaveResumeData is answered by a save_resume_data alert (posted whatever
// the alert mask), whose bytes go back in AddTorrentParams.ResumeData.
func ExampleTorrentHandle_SaveResumeData() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, seedAddr, torrentFile, done, err := exampleSwarm(ctx)
	defer done()
	if err != nil {
		fmt.Println(err)
		return
	}
	ti, _ := actorrent.LoadTorrentFile(torrentFile)
	save, _ := os.MkdirTemp("", "example-resume")
	defer os.RemoveAll(save)

	// First run: download, then save resume data before closing.
	s, err := newLeecher(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	alerts, _ := s.Subscribe(ctx, actorrent.CategoryStatus|actorrent.CategoryStorage|actorrent.CategoryError)
	h, _ := s.AddTorrent(ctx, actorrent.AddTorrentParams{TI: ti, SavePath: save})
	_ = h.ConnectPeer(ctx, seedAddr)
	var resume []byte
	for a := range alerts {
		switch a := a.(type) {
		case actorrent.TorrentFinishedAlert:
			_ = a.Handle.SaveResumeData(ctx, 0)
		case actorrent.SaveResumeDataAlert:
			resume = a.ResumeData
		case actorrent.SaveResumeDataFailedAlert:
			fmt.Println(a.Message())
		}
		if resume != nil {
			break
		}
	}
	s.Close(ctx)
	fmt.Println("resume data saved:", len(resume) > 0)

	// Second run: the resume data says every piece is there.
	s2, err := newLeecher(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s2.Close(ctx)
	alerts2, _ := s2.Subscribe(ctx, actorrent.CategoryStatus|actorrent.CategoryError)
	if _, err := s2.AddTorrent(ctx, actorrent.AddTorrentParams{TI: ti, SavePath: save, ResumeData: resume}); err != nil {
		fmt.Println(err)
		return
	}
	checked := false
	for a := range alerts2 {
		switch a := a.(type) {
		case actorrent.FastresumeRejectedAlert:
			fmt.Println(a.Message())
			return
		case actorrent.StateChangedAlert:
			checked = checked || a.State == actorrent.CheckingFiles
			if a.State == actorrent.Seeding {
				fmt.Println("after restart: seeding; files read again:", checked)
				return
			}
		}
	}
	// Output:
	// resume data saved: true
	// after restart: seeding; files read again: false
}

// Rates are limited per torrent (here), per peer class (CreatePeerClass)
// and for the whole session (the upload_rate_limit and
// download_rate_limit settings); a torrent's own limits are kept in its
// resume data.
func ExampleTorrentHandle_SetDownloadLimit() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, _, torrentFile, done, err := exampleSwarm(ctx)
	defer done()
	if err != nil {
		fmt.Println(err)
		return
	}
	ti, _ := actorrent.LoadTorrentFile(torrentFile)
	s, err := newLeecher(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close(ctx)
	save, _ := os.MkdirTemp("", "example-limits")
	defer os.RemoveAll(save)
	h, err := s.AddTorrent(ctx, actorrent.AddTorrentParams{TI: ti, SavePath: save, UploadLimit: 50_000})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = h.SetDownloadLimit(ctx, 200_000) // bytes a second
	_ = h.SetMaxConnections(ctx, 20)
	l, _ := h.Limits(ctx)
	fmt.Printf("up %d B/s, down %d B/s, %d connections\n", l.UploadLimit, l.DownloadLimit, l.MaxConnections)
	// Output:
	// up 50000 B/s, down 200000 B/s, 20 connections
}
