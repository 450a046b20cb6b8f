package actorrent

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering enforces the import rules of DESIGN §2 with go list:
// imports point down only.
func TestLayering(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	const mod = "github.com/actorrent/actorrent"
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	actorPkgs := []string{"actors", "sessionactor", "torrentactor", "torrentactor/announcer", "peeractor", "diskactor", "dhtactor", "lsdactor", "portmapactor", "supervisor"}
	isActor := func(p string) bool {
		for _, a := range actorPkgs {
			if p == mod+"/"+a {
				return true
			}
		}
		return false
	}
	isPure := func(p string) bool {
		return strings.HasPrefix(p, mod+"/internal/") && p != mod+"/internal/interop"
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		pkg, imports := f[0], f[1:]
		checked++
		for _, imp := range imports {
			var bad string
			switch {
			case isPure(pkg) && (strings.Contains(imp, "protoactor-go") || imp == mod ||
				imp == mod+"/messages" || isActor(imp)):
				bad = "pure packages import no actors, messages or facade"
			case pkg == mod+"/messages" && (imp == mod || isActor(imp) ||
				(strings.Contains(imp, "protoactor-go") && imp != "github.com/asynkron/protoactor-go/actor")):
				bad = "messages imports only pure value types (and the PID type)"
			case isActor(pkg) && imp == mod:
				bad = "actors never import the facade"
			case imp == mod && !strings.HasPrefix(pkg, mod+"/cmd/"):
				bad = "only programs import the facade"
			}
			if bad != "" {
				t.Errorf("%s imports %s: %s", pkg, imp, bad)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("go list saw only %d packages", checked)
	}
}
