package peerlist

// SetConfig changes the list's bounds at runtime (settings applied while
// the torrent runs). A smaller MaxSize takes effect as peers are added.
func (l *List) SetConfig(cfg Config) {
	fresh := New(cfg)
	l.cfg = fresh.cfg
}
