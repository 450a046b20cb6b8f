package udptracker

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind: every
// Client must stop its reader on Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
