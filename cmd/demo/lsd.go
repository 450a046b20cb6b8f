package main

import "github.com/actorrent/actorrent"

// addLSDFlag registers -lsd: local service discovery (BEP 14), which the
// demo leaves off otherwise (libtorrent's default is on, but a demo on
// loopback would find every other demo and test on the machine with the
// same torrent). -lsd is -set enable_lsd=true.
func addLSDFlag(fs *flagSet, ss *sessionSettings) {
	fs.BoolFunc("lsd", "find peers on the local network by local service discovery (BEP 14: multicast to 239.192.152.143:6771), no tracker needed",
		func(v string) error { return ss.pack.SetFromString(string(actorrent.EnableLSD), v) })
}
