package metainfo

import (
	"fmt"
	"testing"
)

// BenchmarkParseOneFile parses the one-file torrent make bench's scale
// lines add 100k of.
func BenchmarkParseOneFile(b *testing.B) {
	raw := fmt.Appendf(nil, "d4:infod6:lengthi16384e4:name%d:%s12:piece lengthi16384e6:pieces20:%020dee", 7, "scale-1", 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}
