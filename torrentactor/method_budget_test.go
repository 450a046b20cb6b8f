package torrentactor

import (
	"sort"
	"testing"

	"github.com/actorrent/actorrent/internal/methodcount"
)

// maxActorMethods is the torrent actor's method budget (issue 10: no actor
// needs more than about 60). A concern that needs more methods gets a type
// of its own (lifecycle, peerSet, the announcer package, the concern views
// such as trackers or priorities) instead of regrowing the actor.
const maxActorMethods = 60

// methodsByReceiver counts the package's methods by receiver type.
func methodsByReceiver(t *testing.T) map[string]int {
	t.Helper()
	counts, err := methodcount.ByReceiver(".")
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

func TestActorMethodBudget(t *testing.T) {
	counts := methodsByReceiver(t)
	if counts["Actor"] == 0 {
		t.Fatal("no methods found on Actor: the test reads the wrong files")
	}
	if n := counts["Actor"]; n > maxActorMethods {
		t.Errorf("the torrent actor has %d methods, over its budget of %d: give a concern a type of its own", n, maxActorMethods)
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("%-16s %3d", n, counts[n])
	}
}
