package interop

import (
	"context"
	"testing"
)

// OpentrackerForTest starts opentracker for a test, with infoHashes
// whitelisted, and stops it when the test ends (an unclean exit fails the
// test). The test is skipped with -short or where opentracker is not
// installed; a failed start fails it.
func OpentrackerForTest(ctx context.Context, tb testing.TB, infoHashes ...[20]byte) *Opentracker {
	tb.Helper()
	if testing.Short() {
		tb.Skip("starts opentracker; skipped with -short")
	}
	if err := OpentrackerAvailable(); err != nil {
		tb.Skip(err)
	}
	ot, err := StartOpentracker(ctx, infoHashes...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := ot.Stop(); err != nil {
			tb.Error(err)
		}
	})
	return ot
}
