package bitfield

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func TestFromBytes(t *testing.T) {
	tests := []struct {
		name    string
		b       []byte
		n       int
		wantErr error
		count   int
		idx     []int
	}{
		{"empty", nil, 0, nil, 0, []int{}},
		{"one bit set", []byte{0x80}, 1, nil, 1, []int{0}},
		{"spare bit set", []byte{0x40}, 1, ErrSpareBits, 0, nil},
		{"full byte", []byte{0xff}, 8, nil, 8, []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{"ten bits", []byte{0x81, 0x40}, 10, nil, 3, []int{0, 7, 9}},
		{"ten bits spare", []byte{0x00, 0x20}, 10, ErrSpareBits, 0, nil},
		{"too short", []byte{0x00}, 9, ErrLength, 0, nil},
		{"too long", []byte{0, 0, 0}, 9, ErrLength, 0, nil},
		{"negative n", nil, -1, ErrLength, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bf, err := FromBytes(tt.b, tt.n)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if bf.Len() != tt.n || bf.Count() != tt.count {
				t.Fatalf("Len,Count = %d,%d want %d,%d", bf.Len(), bf.Count(), tt.n, tt.count)
			}
			if got := bf.Indices(); !reflect.DeepEqual(got, tt.idx) {
				t.Fatalf("Indices = %v, want %v", got, tt.idx)
			}
			if !bytes.Equal(bf.Bytes(), tt.b) && len(tt.b) > 0 {
				t.Fatalf("Bytes = %x, want %x", bf.Bytes(), tt.b)
			}
		})
	}
}

func TestFromBytesCopies(t *testing.T) {
	src := []byte{0x80}
	bf, err := FromBytes(src, 8)
	if err != nil {
		t.Fatal(err)
	}
	src[0] = 0xff
	if bf.Count() != 1 || bf.Has(1) {
		t.Fatal("FromBytes did not copy its input")
	}
	out := bf.Bytes()
	out[0] = 0xff
	if bf.Has(1) {
		t.Fatal("Bytes did not return a copy")
	}
}

func TestSetClearHas(t *testing.T) {
	bf := New(11)
	ops := []struct {
		set   bool
		i     int
		count int
	}{
		{true, 0, 1},
		{true, 0, 1}, // idempotent
		{true, 10, 2},
		{true, 11, 2}, // out of range
		{true, -1, 2},
		{true, 7, 3},
		{false, 7, 2},
		{false, 7, 2},
		{false, 99, 2},
		{false, -5, 2},
	}
	for i, op := range ops {
		if op.set {
			bf.Set(op.i)
		} else {
			bf.Clear(op.i)
		}
		if bf.Count() != op.count {
			t.Fatalf("op %d: Count = %d, want %d", i, bf.Count(), op.count)
		}
		if op.i >= 0 && op.i < bf.Len() && bf.Has(op.i) != op.set {
			t.Fatalf("op %d: Has(%d) = %v", i, op.i, bf.Has(op.i))
		}
	}
	if bf.Has(-1) || bf.Has(11) {
		t.Fatal("Has out of range returned true")
	}
	if want := []byte{0x80, 0x20}; !bytes.Equal(bf.Bytes(), want) {
		t.Fatalf("Bytes = %x, want %x", bf.Bytes(), want)
	}
}

func TestAllNoneSetAll(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 16, 17, 100} {
		bf := New(n)
		if !bf.None() || bf.All() != (n == 0) {
			t.Fatalf("n=%d: fresh None=%v All=%v", n, bf.None(), bf.All())
		}
		bf.SetAll()
		if !bf.All() || bf.Count() != n || bf.None() != (n == 0) {
			t.Fatalf("n=%d: after SetAll All=%v Count=%d", n, bf.All(), bf.Count())
		}
		// Spare bits must stay zero so the bytes round-trip.
		if _, err := FromBytes(bf.Bytes(), n); err != nil {
			t.Fatalf("n=%d: SetAll bytes do not round-trip: %v", n, err)
		}
		if len(bf.Indices()) != n {
			t.Fatalf("n=%d: Indices len %d", n, len(bf.Indices()))
		}
	}
}

func TestZeroValue(t *testing.T) {
	var bf Bitfield
	bf.Set(0)
	bf.Clear(0)
	bf.SetAll()
	if bf.Len() != 0 || bf.Count() != 0 || !bf.All() || !bf.None() || bf.Has(0) {
		t.Fatal("zero value misbehaves")
	}
	if len(bf.Bytes()) != 0 || len(bf.Indices()) != 0 {
		t.Fatal("zero value not empty")
	}
	if New(-3).Len() != 0 {
		t.Fatal("New(-3) should be empty")
	}
}

func TestCloneIsDeep(t *testing.T) {
	a := New(16)
	a.Set(3)
	b := a.Clone()
	b.Set(4)
	a.Clear(3)
	if a.Has(4) || a.Count() != 0 {
		t.Fatal("mutating clone changed original")
	}
	if !b.Has(3) || !b.Has(4) || b.Count() != 2 {
		t.Fatal("mutating original changed clone")
	}
}

func TestPointerMutationInStruct(t *testing.T) {
	type holder struct{ have Bitfield }
	h := holder{have: New(4)}
	h.have.Set(2)
	m := map[string]*Bitfield{"p": &h.have}
	m["p"].Set(1)
	if !h.have.Has(1) || !h.have.Has(2) || h.have.Count() != 2 {
		t.Fatal("mutation through pointer not visible")
	}
}

// Assign replaces the bits in place and counts them; a wrong length or a
// spare bit set leaves the bitfield as it was.
func TestAssign(t *testing.T) {
	b := New(20)
	b.Set(3)
	for _, tt := range []struct {
		p     []byte
		err   error
		count int
	}{
		{[]byte{0xff, 0x00, 0xf0}, nil, 12},
		{[]byte{0xff, 0xff}, ErrLength, 12},
		{[]byte{0xff, 0xff, 0xf8}, ErrSpareBits, 12},
		{[]byte{0x80, 0x01, 0x10}, nil, 3},
	} {
		err := b.Assign(tt.p)
		if !errors.Is(err, tt.err) || b.Count() != tt.count {
			t.Fatalf("Assign(%x) = %v, count %d; want %v, %d", tt.p, err, b.Count(), tt.err, tt.count)
		}
	}
	if !b.Has(0) || !b.Has(15) || !b.Has(19) || b.Has(3) {
		t.Fatal("bits not replaced")
	}
	big := New(1000)
	p := make([]byte, 125)
	for i := range p {
		p[i] = byte(i)
	}
	if err := big.Assign(p); err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range 1000 {
		if big.Has(i) {
			n++
		}
	}
	if big.Count() != n {
		t.Fatalf("count %d, bits %d", big.Count(), n)
	}
}
