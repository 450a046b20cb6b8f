package actors

import (
	"sync"
	"testing"
)

func TestSlots(t *testing.T) {
	s := NewSlots(2)
	if !s.Take() || !s.Take() || s.Take() {
		t.Fatal("two slots should be taken and a third refused")
	}
	if s.Free() != 0 {
		t.Fatalf("free = %d, want 0", s.Free())
	}
	s.Give()
	if !s.Take() {
		t.Fatal("a slot given back is not free")
	}
	var unlimited *Slots
	if !unlimited.Take() || !NewSlots(0).Take() {
		t.Fatal("no limit refused a slot")
	}
}

func TestSlotsConcurrent(t *testing.T) {
	s := NewSlots(10)
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.Take() {
				mu.Lock()
				taken++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if taken != 10 {
		t.Fatalf("%d slots taken of 10", taken)
	}
}

func TestSlotsTakeSlack(t *testing.T) {
	s := NewSlots(2)
	if !s.Take() || !s.Take() || s.Take() {
		t.Fatal("two slots")
	}
	if !s.TakeSlack(100, 1) || s.TakeSlack(100, 1) {
		t.Fatal("one slack slot past the limit")
	}
	s.Give()
	if s.Take() {
		t.Fatal("a plain take while the slack is in use")
	}
}
