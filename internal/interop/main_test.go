package interop

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind (a
// reader of a process that was never reaped, say).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
