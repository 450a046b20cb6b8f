package dhtactor

import (
	"testing"

	"github.com/anacrolix/dht/v2/krpc"
)

// An immutable put (no key, no seq: libtorrent's) gets seq 0 for the
// library; a mutable one, or one with a seq, is left as it came.
func TestFixImmutablePut(t *testing.T) {
	imm := &krpc.Msg{Q: "put", A: &krpc.MsgArgs{}}
	fixImmutablePut(imm)
	if imm.A.Seq == nil || *imm.A.Seq != 0 {
		t.Fatalf("immutable put seq %v", imm.A.Seq)
	}
	mut := &krpc.Msg{Q: "put", A: &krpc.MsgArgs{K: [32]byte{1}}}
	fixImmutablePut(mut)
	if mut.A.Seq != nil {
		t.Fatal("a mutable put without seq got one")
	}
	seven := int64(7)
	withSeq := &krpc.Msg{Q: "put", A: &krpc.MsgArgs{Seq: &seven}}
	fixImmutablePut(withSeq)
	if *withSeq.A.Seq != 7 {
		t.Fatal("a seq was changed")
	}
	fixImmutablePut(&krpc.Msg{Q: "get"}) // no arguments: nothing to do
}
