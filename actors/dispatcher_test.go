package actors

import (
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

// Every scheduled function runs: on the kept workers, queued for them,
// or past the queue on goroutines of their own; and after Close the
// workers leave (the bubble ends with no goroutine left) while work
// scheduled later still runs.
func TestWorkerPoolRunsEverything(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewWorkerPool(2, 4, 300)
		var ran atomic.Int32
		var wg sync.WaitGroup
		release := make(chan struct{})
		const n = 50 // more than workers + queue: some run on their own goroutines
		for range n {
			wg.Add(1)
			p.Schedule(func() {
				defer wg.Done()
				<-release // hold the workers so that the queue fills
				ran.Add(1)
			})
		}
		synctest.Wait()
		p.mu.RLock()
		workers := p.workers
		p.mu.RUnlock()
		if workers != 2 {
			t.Fatalf("%d workers started, want 2 (max)", workers)
		}
		if q := len(p.queue); q != 4 {
			t.Fatalf("%d waiting in the queue, want 4 (its length)", q)
		}
		close(release)
		wg.Wait()
		if got := ran.Load(); got != n {
			t.Fatalf("%d of %d ran", got, n)
		}
		p.Close()
		done := make(chan struct{})
		p.Schedule(func() { close(done) })
		<-done
		synctest.Wait() // the workers are gone: Test fails if any goroutine is left
	})
}

// A worker that finishes its work takes the next from the queue: with
// one worker, queued work runs in order.
func TestWorkerPoolReusesWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewWorkerPool(1, 16, 300)
		defer p.Close()
		var mu sync.Mutex
		var order []int
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Add(1)
			p.Schedule(func() {
				defer wg.Done()
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
			})
		}
		wg.Wait()
		for i, v := range order {
			if v != i {
				t.Fatalf("order %v: one worker should take the queue in order", order)
			}
		}
		if p.workers != 1 {
			t.Fatalf("%d workers, want 1", p.workers)
		}
	})
}
