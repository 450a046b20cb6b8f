package queue

import (
	"testing"
	"time"
)

// FuzzOps runs random event sequences against a queue of up to eight
// torrents and checks the bookkeeping after every step: positions without
// gaps held by the unfinished torrents only, the running set matching the
// flags, the limits honoured after each pass, and Next never due again
// right after Decide (a caller's loop cannot spin).
func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 2, 14, 0, 3, 1, 9, 5, 14, 0})
	f.Add([]byte{0, 0, 0, 1, 0, 2, 0, 3, 10, 1, 2, 14, 0, 12, 1, 14, 3, 12, 0, 14, 9})
	f.Add([]byte{13, 0x23, 0, 0, 0, 1, 0, 2, 11, 0, 0, 14, 60, 11, 1, 200, 14, 61, 14, 9})
	f.Fuzz(func(t *testing.T, ops []byte) {
		s := DefaultSettings()
		s.ActiveDownloads, s.ActiveSeeds, s.ActiveLimit = 2, 1, 3
		q := New[int](s)
		now := t0
		for i := 0; i+1 < len(ops); i += 2 {
			op, arg := ops[i]%15, ops[i+1]
			id := int(arg % 8)
			switch op {
			case 0:
				q.Add(now, id, Torrent{AutoManaged: arg&8 == 0, Paused: arg&16 == 0, State: State(arg>>5) % 4})
			case 1:
				q.Remove(id)
			case 2:
				q.Up(id)
			case 3:
				q.Down(id)
			case 4:
				q.Top(id)
			case 5:
				q.Bottom(id)
			case 6:
				q.Set(id, int(arg>>3)-2)
			case 7:
				q.SetPaused(now, id, arg&8 != 0)
			case 8:
				q.SetAutoManaged(id, arg&8 != 0)
			case 9:
				q.SetError(id, arg&8 != 0)
			case 10:
				q.SetState(now, id, State(arg>>3)%4)
			case 11:
				r := int64(arg>>3) * 256
				q.Observe(now, id, Stats{DownloadRate: r, UploadRate: r, Size: 1000, TotalUpload: int64(arg) * 20})
			case 12:
				q.SetSessionPaused(now, arg&1 != 0)
			case 13:
				s.ActiveDownloads, s.ActiveSeeds, s.ActiveLimit = int(arg&3)-1, int(arg>>2&3)-1, int(arg>>4&7)-1
				s.AutoManagePreferSeeds = arg&0x80 != 0
				q.SetSettings(now, s)
			case 14:
				now = now.Add(time.Duration(arg) * time.Second / 4)
				if next := q.Next(now); !next.IsZero() && !next.After(now) {
					q.Decide(now)
					if q.lastPass.Equal(now) {
						checkLimits(t, q)
					}
					if next := q.Next(now); !next.IsZero() && !next.After(now) {
						t.Fatalf("Next is %v right after Decide at %v", next.Sub(t0), now.Sub(t0))
					}
				} else if d := q.Decide(now); !d.Empty() {
					t.Fatalf("Decide before Next changed %+v", d)
				}
			}
			checkInvariants(t, q)
			if next := q.Next(now); !next.IsZero() && next.Before(now) {
				t.Fatalf("Next %v is before now %v", next.Sub(t0), now.Sub(t0))
			}
		}
	})
}
