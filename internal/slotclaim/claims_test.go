package slotclaim

import (
	"context"
	"sync"
	"testing"
)

func TestWriteThenSettle(t *testing.T) {
	c := New(3)
	buf := make([]int, 3)
	if !c.Write(0, func() { buf[0] = 7 }) {
		t.Fatal("a free slot was not written")
	}
	if c.Write(0, func() { buf[0] = 8 }) {
		t.Fatal("a slot was written twice")
	}
	if err := c.Settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c.Write(1, func() { buf[1] = 9 }) {
		t.Fatal("a slot was written after Settle")
	}
	if !c.Done(0) || c.Done(1) || c.Done(2) || c.Done(-1) || c.Done(3) {
		t.Fatalf("done = %v %v %v", c.Done(0), c.Done(1), c.Done(2))
	}
	if buf[0] != 7 || buf[1] != 0 {
		t.Fatalf("buf = %v", buf)
	}
	if c.Write(5, func() {}) || c.Write(-1, func() {}) {
		t.Fatal("a slot out of range was written")
	}
}

func TestPanickingWriteLeavesSlotAbandoned(t *testing.T) {
	c := New(1)
	func() {
		defer func() { _ = recover() }()
		c.Write(0, func() { panic("boom") })
	}()
	if c.Done(0) {
		t.Fatal("a half-written slot counts as done")
	}
	if err := c.Settle(context.Background()); err != nil {
		t.Fatal(err) // Settle must not wait for a writer that is gone
	}
}

// TestSettleWaitsForWriter: a write under way when Settle starts finishes
// before Settle returns; no write starts after it.
func TestSettleWaitsForWriter(t *testing.T) {
	c := New(1)
	var v int
	inFill, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.Write(0, func() {
			close(inFill)
			<-release
			v = 1
		})
	}()
	<-inFill
	settled := make(chan error, 1)
	go func() { settled <- c.Settle(context.Background()) }()
	close(release)
	if err := <-settled; err != nil {
		t.Fatal(err)
	}
	if v != 1 || !c.Done(0) { // the race detector checks the read of v too
		t.Fatalf("v=%d done=%v", v, c.Done(0))
	}
	wg.Wait()
}

func TestSettleGivesUpWithContext(t *testing.T) {
	c := New(1)
	inFill, release := make(chan struct{}), make(chan struct{})
	go c.Write(0, func() { close(inFill); <-release })
	<-inFill
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Settle(ctx); err == nil {
		t.Fatal("Settle returned nil while a write was under way and ctx ended")
	}
	close(release)
}

// TestManyWritersRace: writers and Settle race; every slot ends done or
// abandoned, and a done slot holds its writer's value.
func TestManyWritersRace(t *testing.T) {
	for range 50 {
		const n = 64
		c := New(n)
		buf := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.Write(i, func() { buf[i] = i + 1 })
			}()
		}
		if err := c.Settle(context.Background()); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if c.Done(i) && buf[i] != i+1 {
				t.Fatalf("slot %d done but holds %d", i, buf[i])
			}
		}
		wg.Wait()
	}
}
