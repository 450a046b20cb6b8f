package actors

import (
	"context"
	"testing"
	"testing/synctest"
)

func TestCreditBlocksUntilReleased(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := NewCredit(100)
		ctx := context.Background()
		if err := c.Acquire(ctx, 60); err != nil {
			t.Fatal(err)
		}
		if err := c.Acquire(ctx, 40); err != nil {
			t.Fatal(err)
		}
		got := make(chan error, 1)
		go func() { got <- c.Acquire(ctx, 10) }()
		synctest.Wait() // the acquire is blocked, or it has returned
		select {
		case err := <-got:
			t.Fatalf("acquire over the limit returned early: %v", err)
		default:
		}
		c.Release(50)
		if err := <-got; err != nil {
			t.Fatal(err)
		}
		if u := c.Used(); u != 60 {
			t.Fatalf("used = %d, want 60", u)
		}
	})
}

func TestCreditOversizedAcquireWhenIdle(t *testing.T) {
	c := NewCredit(10)
	if err := c.Acquire(context.Background(), 1000); err != nil {
		t.Fatalf("an oversized block must pass when nothing is in flight: %v", err)
	}
}

func TestCreditContextAndClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := NewCredit(10)
		_ = c.Acquire(context.Background(), 10)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := c.Acquire(ctx, 5); err == nil {
			t.Fatal("acquire with a cancelled context succeeded while full")
		}
		done := make(chan error, 1)
		go func() { done <- c.Acquire(context.Background(), 5) }()
		synctest.Wait() // the acquire waits: Close must be what lets it through
		select {
		case err := <-done:
			t.Fatalf("acquire while full returned before Close: %v", err)
		default:
		}
		c.Close()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}
