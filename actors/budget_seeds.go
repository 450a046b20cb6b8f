package actors

import "time"

// connect_seed_every_n_download, as libtorrent's session loop hands out
// connection attempts: while downloading and finished torrents both want
// peers, a finished torrent gets one attempt for every n that downloading
// torrents made (n of 0 or less: finished torrents first). Our torrents
// take from the Budget on their own rather than from one loop, so a kind
// of torrent "wants peers" when it asked within the last second.

// seedTurns is the Budget's record for it.
type seedTurns struct {
	downloads                  int // attempts of downloading torrents since a finished torrent's
	downloadWant, finishedWant time.Time
}

// wantWindow is how long an ask counts as wanting peers: a torrent asks
// at least on its tick, every second, while it has candidates.
const wantWindow = time.Second

// TakeFor is Take for a downloading or finished torrent, with everyN the
// setting: a finished torrent may take one attempt per everyN that
// downloading torrents made while they want peers too, and downloading
// torrents wait while a finished torrent's turn is due. Report the
// attempts made with Attempted.
func (b *Budget) TakeFor(now time.Time, want int, finished bool, everyN int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if want <= 0 {
		return 0
	}
	t := &b.turns
	due := everyN <= 0 || t.downloads >= everyN // a finished torrent's turn
	if finished {
		t.finishedWant = now
		if everyN > 0 && recent(t.downloadWant, now) {
			want = min(want, t.downloads/everyN)
		}
	} else {
		t.downloadWant = now
		if due && recent(t.finishedWant, now) {
			return 0
		}
	}
	return b.take(now, want)
}

// Attempted counts n attempts a torrent made with what it took.
func (b *Budget) Attempted(n int, finished bool, everyN int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := &b.turns
	if !finished {
		t.downloads += n
	} else if n > 0 {
		t.downloads = max(t.downloads-n*max(everyN, 0), 0)
	}
}

func recent(at, now time.Time) bool { return !at.IsZero() && now.Sub(at) < wantWindow }
