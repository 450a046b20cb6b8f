package actors

import (
	"context"
	"testing"
	"time"
)

func TestCreditBlocksUntilReleased(t *testing.T) {
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
	select {
	case err := <-got:
		t.Fatalf("acquire over the limit returned early: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	c.Release(50)
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("acquire not woken by release")
	}
	if u := c.Used(); u != 60 {
		t.Fatalf("used = %d, want 60", u)
	}
}

func TestCreditOversizedAcquireWhenIdle(t *testing.T) {
	c := NewCredit(10)
	if err := c.Acquire(context.Background(), 1000); err != nil {
		t.Fatalf("an oversized block must pass when nothing is in flight: %v", err)
	}
}

func TestCreditContextAndClose(t *testing.T) {
	c := NewCredit(10)
	_ = c.Acquire(context.Background(), 10)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Acquire(ctx, 5); err == nil {
		t.Fatal("acquire with a cancelled context succeeded while full")
	}
	done := make(chan error, 1)
	go func() { done <- c.Acquire(context.Background(), 5) }()
	time.Sleep(10 * time.Millisecond)
	c.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release waiters")
	}
}
