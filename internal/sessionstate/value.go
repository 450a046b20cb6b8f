package sessionstate

import (
	"fmt"
	"math"
	"strconv"
)

// Kind is the type of a setting, as in libtorrent's settings_pack: every
// setting is a string, an int or a bool.
type Kind uint8

// The kinds. The zero Kind is no kind: a Value of it is invalid.
const (
	KindString Kind = iota + 1
	KindInt
	KindBool
)

func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindInt:
		return "int"
	case KindBool:
		return "bool"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one setting's value. Only the field of its Kind is meaningful;
// the constructors leave the others zero, so Values compare with ==.
type Value struct {
	Kind Kind
	Str  string
	Int  int // libtorrent's settings are C ints: int32 range
	Bool bool
}

// StringValue, IntValue and BoolValue build a Value of each kind.
func StringValue(s string) Value { return Value{Kind: KindString, Str: s} }

// IntValue builds an int Value; Encode refuses one outside int32's range.
func IntValue(n int) Value { return Value{Kind: KindInt, Int: n} }

// BoolValue builds a bool Value.
func BoolValue(b bool) Value { return Value{Kind: KindBool, Bool: b} }

func (v Value) String() string {
	switch v.Kind {
	case KindString:
		return strconv.Quote(v.Str)
	case KindInt:
		return strconv.Itoa(v.Int)
	case KindBool:
		return strconv.FormatBool(v.Bool)
	}
	return "invalid"
}

// bencodeValue is v as it is written in a state: bools are the integers 0
// and 1, as libtorrent's entry stores them.
func (v Value) bencodeValue() (any, error) {
	switch v.Kind {
	case KindString:
		return v.Str, nil
	case KindInt:
		if v.Int < math.MinInt32 || v.Int > math.MaxInt32 {
			return nil, fmt.Errorf("%w: int %d is outside int32's range", ErrInvalidState, v.Int)
		}
		return int64(v.Int), nil
	case KindBool:
		if v.Bool {
			return int64(1), nil
		}
		return int64(0), nil
	}
	return nil, fmt.Errorf("%w: value of %v", ErrInvalidState, v.Kind)
}

// Kinds tells Decode the kind of each setting name it knows (ok false for a
// name it does not). The settings table lives outside this package; a nil
// Kinds knows no name.
type Kinds func(name string) (k Kind, ok bool)

// KindsOf returns the Kinds of a settings table given as name -> value (the
// defaults, say): each name has the kind of its value.
func KindsOf(table map[string]Value) Kinds {
	return func(name string) (Kind, bool) {
		v, ok := table[name]
		return v.Kind, ok
	}
}
