package utp

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no socket goroutine (owner, reader) outlives its
// test.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
