package methodcount

import "testing"

type probe struct{}

func (probe) a()  {}
func (*probe) b() {}

func TestByReceiver(t *testing.T) {
	counts, err := ByReceiver(".")
	if err != nil {
		t.Fatal(err)
	}
	// probe's methods are in a test file: left out.
	if counts["probe"] != 0 {
		t.Fatalf("counted test files: %v", counts)
	}
	counts, err = ByReceiver("../../torrentactor")
	if err != nil || counts["Actor"] == 0 {
		t.Fatalf("the torrent actor has no methods? %v %v", counts["Actor"], err)
	}
}
