package diskactor

import (
	"testing"

	"github.com/actorrent/actorrent/internal/methodcount"
)

// The disk actor's method budget (issue 10: no actor needs more than about
// 60 methods): a concern that needs more gets a type of its own.
func TestActorMethodBudget(t *testing.T) {
	counts, err := methodcount.ByReceiver(".")
	if err != nil {
		t.Fatal(err)
	}
	if n := counts["Actor"]; n == 0 || n > 60 {
		t.Errorf("the disk actor has %d methods (budget 60)", n)
	}
}
