package torrentactor

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// maxActorMethods is the torrent actor's method budget (issue 10: no actor
// needs more than about 60). A concern that needs more methods gets a type
// of its own (lifecycle, peerSet, the announcer package, the concern views
// such as trackers or priorities) instead of regrowing the actor.
const maxActorMethods = 60

// methodsByReceiver counts the package's methods (test files left out) by
// receiver type name.
func methodsByReceiver(t *testing.T) map[string]int {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) == 0 {
				continue
			}
			typ := fd.Recv.List[0].Type
			if star, ok := typ.(*ast.StarExpr); ok {
				typ = star.X
			}
			if id, ok := typ.(*ast.Ident); ok {
				counts[id.Name]++
			}
		}
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
