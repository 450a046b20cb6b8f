package httptracker

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind: a
// connection of a slow tracker nobody closed, say.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
