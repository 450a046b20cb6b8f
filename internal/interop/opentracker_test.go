package interop

import "testing"

// The probe escapes every byte, as our tracker client does (a space is
// %20, never QueryEscape's '+', which not every tracker decodes).
func TestPercentEncode(t *testing.T) {
	if got := percentEncode([]byte{0x20, 'a', 0xff}); got != "%20%61%FF" {
		t.Fatalf("percentEncode: %s", got)
	}
}
