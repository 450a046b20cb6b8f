package actors

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/internal/ratelimit"
)

const bwBlock = 16 << 10

func (b *Bandwidth) tickerRunning() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ticking
}

// pump has n goroutines move blocks through chans until d has passed and
// returns the bytes each was granted within d.
func pump(t *testing.T, b *Bandwidth, n int, d time.Duration, chans ...*ratelimit.Channel) []int64 {
	t.Helper()
	got := make([]int64, n)
	end := time.Now().Add(d)
	ctx, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for {
				if err := b.Acquire(ctx, bwBlock, chans...); err != nil {
					return
				}
				if time.Now().After(end) {
					return
				}
				got[i] += bwBlock
			}
		})
	}
	wg.Wait()
	return got
}

func TestBandwidthHoldsRateAndShares(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const limit = 2_000_000
		b := NewBandwidth(500 * time.Millisecond)
		defer b.Close()
		ch := ratelimit.NewChannel(limit)
		got := pump(t, b, 4, 10*time.Second, ch)
		var total int64
		for _, g := range got {
			total += g
		}
		t.Logf("4 goroutines, 2 MB/s, 10 s: %d bytes %v", total, got)
		if total < 10*limit*95/100 || total > 10*limit*105/100 {
			t.Errorf("moved %d bytes in 10 s at 2 MB/s, want 20 MB ±5%%", total)
		}
		for i, g := range got {
			if mean := total / 4; g < mean*80/100 || g > mean*120/100 {
				t.Errorf("goroutine %d moved %d, mean %d: off by more than 20%%", i, g, mean)
			}
		}
		synctest.Wait()
		if b.tickerRunning() || b.Waiting() != 0 {
			t.Error("the ticker still runs with nothing waiting")
		}
	})
}

func TestBandwidthUnlimitedNeverBlocks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewBandwidth(0)
		defer b.Close()
		un := ratelimit.NewChannel(0)
		before, start := runtime.NumGoroutine(), time.Now()
		for range 1000 {
			if err := b.Acquire(context.Background(), 1<<20, un, nil, un); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Acquire(context.Background(), 1<<20); err != nil {
			t.Fatal(err)
		}
		if time.Since(start) != 0 || b.tickerRunning() || runtime.NumGoroutine() != before {
			t.Error("unlimited acquires took time or started a goroutine")
		}
		b.Charge(1000, un) // nothing to charge
		if err := b.Acquire(context.Background(), 1<<20, un); err != nil || time.Since(start) != 0 {
			t.Error("a charge made an unlimited channel wait")
		}
	})
}

func TestBandwidthCloseReleasesWaiters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewBandwidth(0)
		ch := ratelimit.NewChannel(1000) // a block takes 16 s
		errs := make(chan error, 3)
		for range 3 {
			go func() { errs <- b.Acquire(context.Background(), bwBlock, ch) }()
		}
		time.Sleep(time.Second) // virtual: well short of a block
		synctest.Wait()
		if len(errs) != 0 || b.Waiting() != 3 {
			t.Fatalf("%d returned, %d waiting before Close; want 0 and 3", len(errs), b.Waiting())
		}
		b.Close()
		for range 3 {
			if err := <-errs; err != nil {
				t.Errorf("a waiter released by Close got %v", err)
			}
		}
		if b.tickerRunning() && b.Waiting() != 0 {
			t.Error("Close left waiters")
		}
		if err := b.Acquire(context.Background(), bwBlock, ch); err != nil {
			t.Errorf("Acquire after Close: %v", err)
		}
		b.Close() // twice is fine
	})
}

func TestBandwidthLimitChangesWhileWaiting(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to int64
		need     int64
		minWait  time.Duration // after the change
		maxWait  time.Duration
	}{
		// 1 kB/s would take 16 s; at 1 MB/s the rest takes 15 ms.
		{"raised", 1000, 1_000_000, bwBlock, 15 * time.Millisecond, 20 * time.Millisecond},
		{"lifted", 1000, 0, bwBlock, 0, 2 * time.Millisecond},
		// 64 KiB at 1 MB/s: 10 kB assigned in 10 ms, the rest at 1 kB/s.
		{"lowered", 1_000_000, 1000, 64 << 10, 55 * time.Second, 56 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				b := NewBandwidth(0)
				defer b.Close()
				ch := ratelimit.NewChannel(tc.from)
				done := make(chan time.Time, 1)
				go func() {
					if err := b.Acquire(context.Background(), tc.need, ch); err != nil {
						t.Error(err)
					}
					done <- time.Now()
				}()
				time.Sleep(10 * time.Millisecond)
				synctest.Wait()
				if len(done) != 0 {
					t.Fatal("granted before the change")
				}
				changed := time.Now()
				b.SetLimit(ch, tc.to)
				waited := (<-done).Sub(changed)
				if waited < tc.minWait || waited > tc.maxWait {
					t.Errorf("granted %v after the change, want %v..%v", waited, tc.minWait, tc.maxWait)
				}
			})
		})
	}
}

func TestBandwidthContextCancelGivesQuotaBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewBandwidth(0)
		defer b.Close()
		ch := ratelimit.NewChannel(100_000) // a block takes 164 ms
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if err := b.Acquire(ctx, bwBlock, ch); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Acquire = %v, want the deadline", err)
		}
		synctest.Wait()
		if b.Waiting() != 0 || b.tickerRunning() {
			t.Fatal("a cancelled waiter stayed queued, or the ticker kept running")
		}
		// The 10 kB assigned to it went back to the channel: the next block
		// needs only the 6.4 kB more, 64 ms at 100 kB/s.
		start := time.Now()
		if err := b.Acquire(context.Background(), bwBlock, ch); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 60*time.Millisecond || d > 70*time.Millisecond {
			t.Errorf("next block took %v, want about 64 ms", d)
		}
	})
}

func TestBandwidthChargeIsWaitedOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewBandwidth(0)
		defer b.Close()
		ch := ratelimit.NewChannel(1_000_000)
		b.Charge(500_000, ch, ch) // charged once
		start := time.Now()
		if err := b.Acquire(context.Background(), bwBlock, ch); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 516*time.Millisecond || d > 520*time.Millisecond {
			t.Errorf("block after 500 kB of overhead took %v, want 516 ms", d)
		}
	})
}

func TestBandwidthClasses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewBandwidth(0)
		defer b.Close()
		id, err := b.CreateClass("slow")
		if err != nil {
			t.Fatal(err)
		}
		c, _ := b.Class(id)
		c.DownloadLimit = 500_000
		if err := b.SetClass(id, c); err != nil {
			t.Fatal(err)
		}
		if err := b.SetClassLimit(ratelimit.GlobalClass, ratelimit.Download, 2_000_000); err != nil {
			t.Fatal(err)
		}
		// A local peer is in the local class only: the global limit does
		// not touch it.
		local := b.ClassChannels(ratelimit.DefaultTypeFilter().Apply(ratelimit.TCPSocket, ratelimit.Mask(ratelimit.LocalClass)), ratelimit.Download, nil)
		start := time.Now()
		if err := b.Acquire(context.Background(), 100<<20, local...); err != nil || time.Since(start) != 0 {
			t.Error("a local peer waited on the global limit")
		}
		slow := b.ClassChannels(ratelimit.Mask(ratelimit.GlobalClass, id), ratelimit.Download, nil)
		got := pump(t, b, 2, 2*time.Second, slow...)
		if total := got[0] + got[1]; total < 950_000 || total > 1_050_000 {
			t.Errorf("peers of a 500 kB/s class in a 2 MB/s session moved %d bytes in 2 s, want 1 MB ±5%%", total)
		}
		if !b.IgnoreUnchokeSlots(ratelimit.Mask(ratelimit.LocalClass)) || b.ConnectionLimitFactor(ratelimit.Mask(ratelimit.LocalClass)) != 150 {
			t.Error("local class settings")
		}
		if err := b.DeleteClass(ratelimit.LocalClass); !errors.Is(err, ratelimit.ErrBuiltinClass) {
			t.Errorf("DeleteClass(local) = %v", err)
		}
		if err := b.DeleteClass(id); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Class(id); !errors.Is(err, ratelimit.ErrUnknownClass) {
			t.Errorf("Class after delete = %v", err)
		}
	})
}

func BenchmarkBandwidthAcquireUnlimited(b *testing.B) {
	bw := NewBandwidth(0)
	defer bw.Close()
	ctx := context.Background()
	global, tcp, torrent := ratelimit.NewChannel(0), ratelimit.NewChannel(0), ratelimit.NewChannel(0)
	b.ReportAllocs()
	for b.Loop() {
		if err := bw.Acquire(ctx, bwBlock, global, tcp, torrent); err != nil {
			b.Fatal(err)
		}
	}
}
